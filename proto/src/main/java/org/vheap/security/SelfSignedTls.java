package org.vheap.security;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed TLS pair for tests and demos: {@code cert.pem} and {@code key.pem} (EC P-256, PKCS#8, mode
 * 600) in a directory (made mode 700 when absent), for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid for a year. Made
 * once: when both files exist they are loaded as they are. Clients trust it with
 * {@code --tls-ca DIR/cert.pem}.
 *
 * <p>Risk: anyone who can read {@code key.pem} can impersonate the server; it is for loopback testing,
 * not for production (use a certificate from your CA there).
 */
public final class SelfSignedTls {
    public static final String CERT_FILE = "cert.pem";
    public static final String KEY_FILE = "key.pem";

    private SelfSignedTls() {
    }

    /** The pair in {@code dir}, made first if {@code dir} has neither file. */
    public static ServerTls ensure(Path dir) {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (hasCert != hasKey) {
            throw new IllegalArgumentException("--tls-self-signed " + dir + ": has " + (hasCert ? CERT_FILE : KEY_FILE)
                    + " but not " + (hasCert ? KEY_FILE : CERT_FILE) + "; remove it to make a new pair");
        }
        if (!hasCert) {
            write(dir, cert, key);
        }
        return ServerTls.load(cert, key);
    }

    private static void write(Path dir, Path cert, Path key) {
        try {
            PrivateFiles.createDirectories(dir);
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=localhost, O=vheap self-signed");
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress())}));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            Path keyTmp = dir.resolve("." + KEY_FILE + ".tmp");
            Files.deleteIfExists(keyTmp);
            PrivateFiles.createFile(keyTmp);
            Files.writeString(keyTmp, pem(pair.getPrivate()), StandardCharsets.US_ASCII);
            Path certTmp = dir.resolve("." + CERT_FILE + ".tmp");
            Files.writeString(certTmp, pem(holder), StandardCharsets.US_ASCII);
            Files.move(keyTmp, key, StandardCopyOption.ATOMIC_MOVE);
            Files.move(certTmp, cert, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalArgumentException("--tls-self-signed " + dir + ": cannot make the pair: " + e.getMessage());
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o instanceof java.security.PrivateKey k
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null).generate() : o);
        }
        return s.toString();
    }
}
