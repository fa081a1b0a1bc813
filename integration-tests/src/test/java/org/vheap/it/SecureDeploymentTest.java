package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured deployment with every part a real process: a heap server with TLS (a self-signed pair it makes)
 * that requires access tokens, a gateway with its own TLS towards devices and TLS to the server, and devices
 * that create, suspend and resume an app through the gateway with the token the server issued.
 */
class SecureDeploymentTest {
    @TempDir
    Path work;
    private VheapProcesses vheap;

    @AfterEach
    void tearDown() {
        if (vheap != null) {
            vheap.close();
        }
    }

    @Test
    void anAppMovesBetweenDevicesThroughATlsGatewayWithItsTokenAndNoOneElseGetsIn() throws Exception {
        vheap = new VheapProcesses(work);
        Path adminToken = work.resolve("admin.token");
        VheapProcesses.Server server = vheap.server(0, "--tls-self-signed", work.resolve("server-tls").toString(),
                "--require-tokens", "--admin-token-file", adminToken.toString());
        VheapProcesses.Server gateway = vheap.gateway("--backend", server.address(),
                "--backend-tls-ca", work.resolve("server-tls/cert.pem").toString(),
                "--tls-self-signed", work.resolve("gateway-tls").toString());
        String gatewayCa = work.resolve("gateway-tls/cert.pem").toString();
        String at = gateway.address();
        String tally = vheap.compile("Tally", MigrationEndToEndTest.TALLY) + ":" + VheapProcesses.apiClassPath();

        // device a creates the app through the gateway; the token the server issues goes to a file only it reads
        Path token = work.resolve("secure.token");
        VheapProcesses.Started a = vheap.start("device", "run", "--app", "secure", "--device", "a", "--server", at,
                "--tls-ca", gatewayCa, "--token-file", token.toString(), "--memory", "256k", tally, "Tally", "25", "30");
        a.awaitOutput("committed 8 ", Duration.ofMinutes(3));
        a.process().destroy();   // SIGTERM: suspended with a checkpoint
        assertThat(a.awaitExit(Duration.ofMinutes(2))).as(a.errors()).isZero();
        assertThat(a.errors()).contains("vheap: app secure token written to " + token).doesNotContain("vht_");
        assertThat(Files.readString(token).strip()).startsWith("vht_");
        assertThat(Files.getPosixFilePermissions(token)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));

        // without the token, or with plaintext, no one gets in
        VheapProcesses.Result noToken = vheap.vheap("device", "resume", "--app", "secure", "--device", "b", "--server", at,
                "--tls-ca", gatewayCa, "--memory", "256k");
        assertThat(noToken.exit()).isNotZero();
        assertThat(noToken.output()).contains("UNAUTHENTICATED").doesNotContain("\tat ");
        VheapProcesses.Result plaintext = vheap.vheap("apps", "--server", at);
        assertThat(plaintext.exit()).isEqualTo(1);
        assertThat(plaintext.output()).contains("TLS mismatch");
        VheapProcesses.Result appTokenLists = vheap.vheap("apps", "--server", at, "--tls-ca", gatewayCa, "--token-file", token.toString());
        assertThat(appTokenLists.exit()).isEqualTo(1);
        assertThat(appTokenLists.output()).contains("PERMISSION_DENIED");

        // device b resumes it with the token: the output goes on, every count once
        VheapProcesses.Result b = vheap.vheap("device", "resume", "--app", "secure", "--device", "b", "--server", at,
                "--tls-ca", gatewayCa, "--token-file", token.toString(), "--memory", "256k");
        assertThat(b.exit()).as(b.output()).isZero();
        String all = a.output() + b.output();
        assertThat(all).doesNotContain("CORRUPT").contains("finished");
        assertThat(VheapProcesses.counts(all)).isEqualTo(LongStream.rangeClosed(1, 25).boxed().toList());

        VheapProcesses.Result admin = vheap.vheap("apps", "--server", at, "--tls-ca", gatewayCa, "--token-file", adminToken.toString());
        assertThat(admin.exit()).as(admin.output()).isZero();
        assertThat(admin.output()).contains("secure");
    }
}
