package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.VmThread;

/**
 * Checksums and message digests without the JDK's security-provider machinery (which reads the JDK's
 * java.security file and instantiates providers by reflection): CRC32's natives, and
 * {@code MessageDigest.getInstance} answered with the JDK's own MD5 and SHA implementations (their bytecode
 * runs on the device), as HotSpot's default SUN provider would give them. The digest's provider is null.
 */
final class DigestNatives {
    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            CRC_TABLE[n] = c;
        }
    }

    private DigestNatives() {
    }

    /** The CRC-32 (ISO 3309) of {@code crc} updated with one byte. */
    private static int crcByte(int crc, int b) {
        return CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >>> 8);
    }

    /**
     * A stand-in for the SUN provider the digests come from: a {@code sun.security.provider.Sun} object with its
     * name and version and nothing registered (it is never asked for services on a device).
     */
    private static int sunProvider(Vm vm) {
        VmClass sun = vm.classes().load("sun/security/provider/Sun");
        int p = vm.newObject(sun);
        VmClass provider = vm.classes().load("java/security/Provider");
        vm.putRefField(p, provider.declaredField("name"), vm.strings().intern("SUN"));
        vm.putRefField(p, provider.declaredField("versionStr"), vm.strings().intern("17"));
        return p;
    }

    static void register(Natives n, Vm vm) {
        // the zip library is the device's own (these natives): nothing to load
        n.register("java/util/zip/ZipUtils", "loadLibrary", "()V", Natives.nothing());
        n.register("java/util/zip/CRC32", "update", "(II)I", (t, s, b) -> ~crcByte(~(int) s[b], (int) s[b + 1]));
        n.register("java/util/zip/CRC32", "updateBytes0", "(I[BII)I", (t, s, b) -> {
            int crc = ~(int) s[b];
            int array = (int) s[b + 1];
            int off = (int) s[b + 2];
            int len = (int) s[b + 3];
            long at = Vm.elementAddress(array, off, 0);
            for (int i = 0; i < len; i++) {
                crc = crcByte(crc, vm.memory().getByte(at + i));
            }
            return ~crc;
        });
        n.register("java/security/MessageDigest", "getInstance", "(Ljava/lang/String;)Ljava/security/MessageDigest;", (t, s, b) -> {
            if ((int) s[b] == 0) {
                throw new JavaError("java/lang/NullPointerException", "null algorithm name");
            }
            String algorithm = vm.strings().hostString((int) s[b]);
            String impl = switch (algorithm.toUpperCase(java.util.Locale.ROOT)) {
                case "MD5" -> "sun/security/provider/MD5";
                case "SHA-1", "SHA1", "SHA" -> "sun/security/provider/SHA";
                case "SHA-224" -> "sun/security/provider/SHA2$SHA224";
                case "SHA-256" -> "sun/security/provider/SHA2$SHA256";
                case "SHA-384" -> "sun/security/provider/SHA5$SHA384";
                case "SHA-512" -> "sun/security/provider/SHA5$SHA512";
                default -> throw new JavaError("java/security/NoSuchAlgorithmException", algorithm + " MessageDigest not available");
            };
            VmClass spiClass = vm.classes().load(impl);
            int spi = vm.newObject(spiClass);
            VmClass delegate = vm.classes().load("java/security/MessageDigest$Delegate");
            t.defer(new DeferredCall(spiClass.declaredMethod("<init>", "()V"), new long[] {spi}, VmThread.RETURN_DISCARD));
            t.defer(new DeferredCall(delegate.declaredMethod("of",
                    "(Ljava/security/MessageDigestSpi;Ljava/lang/String;Ljava/security/Provider;)Ljava/security/MessageDigest$Delegate;"),
                    new long[] {spi, vm.strings().intern(algorithm), sunProvider(vm)}, VmThread.RETURN_REPLACE));
            t.deferredInit.add(spiClass);
            t.deferredInit.add(delegate);
            return 0;
        });
    }
}
