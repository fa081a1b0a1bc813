package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;

/**
 * {@code java.nio}'s file channels ({@code FileChannel}, and what uses one: {@code Scanner} on a file,
 * {@code FileInputStream.getChannel}) over the app's files. The JDK's {@code FileChannelImpl} runs unmodified; its
 * reads and writes ({@code sun.nio.ch.IOUtil}, substituted) and its dispatcher's natives ({@code FileDispatcherImpl})
 * go to {@code org.vheap.device.boot.files.HeapChannels}, which moves bytes between buffers and the heap's files with
 * no native memory. The natives around them answer as for a process with no native threads: a channel has none to signal,
 * and locks are always granted (one app owns its files).
 */
final class ChannelNatives {
    private static final String IOUTIL = "sun/nio/ch/IOUtil";
    private static final String DISPATCHER = "sun/nio/ch/FileDispatcherImpl";
    private static final String FD = "Ljava/io/FileDescriptor;";
    private static final String BB = "Ljava/nio/ByteBuffer;";
    private static final String BBS = "[Ljava/nio/ByteBuffer;";
    private static final String ND = "Lsun/nio/ch/NativeDispatcher;";
    private static final String CHANNEL = "sun/nio/ch/FileChannelImpl";
    /** IOStatus.UNSUPPORTED: a way of transferring that is not there. */
    private static final int UNSUPPORTED = -4;
    /** FileDispatcher.LOCKED: a lock was taken. */
    private static final int LOCKED = 0;

    private ChannelNatives() {
    }

    static void register(Natives n, Vm vm) {
        BootCalls channels = new BootCalls(vm, "org/vheap/device/boot/files/HeapChannels");
        // the read and write every other IOUtil overload ends in, with the dispatcher as an Object
        channels.forward(n, IOUTIL, "read", "(" + FD + BB + "JZZI" + ND + ")I", "read",
                "(" + FD + BB + "JZZILjava/lang/Object;)I", false);
        channels.forward(n, IOUTIL, "write", "(" + FD + BB + "JZZI" + ND + ")I", "write",
                "(" + FD + BB + "JZZILjava/lang/Object;)I", false);
        channels.forward(n, IOUTIL, "read", "(" + FD + BBS + "IIZZI" + ND + ")J", "read",
                "(" + FD + BBS + "IIZZILjava/lang/Object;)J", false);
        channels.forward(n, IOUTIL, "write", "(" + FD + BBS + "IIZZI" + ND + ")J", "write",
                "(" + FD + BBS + "IIZZILjava/lang/Object;)J", false);
        n.register(IOUTIL, "iovMax", "()I", (t, s, b) -> 1024);
        n.register(IOUTIL, "fdLimit", "()I", (t, s, b) -> 1024);
        n.register(IOUTIL, "fdVal", "(" + FD + ")I", (t, s, b) -> FileNatives.number(vm, (int) s[b]));
        n.register(IOUTIL, "configureBlocking", "(" + FD + "Z)V", Natives.nothing());

        channels.forward(n, DISPATCHER, "seek0", "(" + FD + "J)J", "seek", "(" + FD + "J)J", false);
        channels.forward(n, DISPATCHER, "size0", "(" + FD + ")J", "size", "(" + FD + ")J", false);
        channels.forward(n, DISPATCHER, "truncate0", "(" + FD + "J)I", "truncate", "(" + FD + "J)I", false);
        n.register(DISPATCHER, "init", "()V", Natives.nothing());
        n.register(DISPATCHER, "force0", "(" + FD + "Z)I", (t, s, b) -> 0);
        n.register(DISPATCHER, "preClose0", "(" + FD + ")V", Natives.nothing());
        n.register(DISPATCHER, "lock0", "(" + FD + "ZJJZ)I", (t, s, b) -> LOCKED);
        n.register(DISPATCHER, "release0", "(" + FD + "JJ)V", Natives.nothing());
        n.register(DISPATCHER, "canTransferToFromOverlappedMap0", "()Z", (t, s, b) -> 0);
        n.register(CHANNEL, "maxDirectTransferSize0", "()I", (t, s, b) -> 0x7ffff000);
        // transfers: no sendfile and no mapping (both native), so the JDK's copy through a buffer, in the heap
        n.register(CHANNEL, "transferToDirectly", "(JILjava/nio/channels/WritableByteChannel;)J", (t, s, b) -> UNSUPPORTED);
        n.register(CHANNEL, "transferToTrustedChannel", "(JJLjava/nio/channels/WritableByteChannel;)J", (t, s, b) -> UNSUPPORTED);
        channels.forward(n, CHANNEL, "transferToArbitraryChannel", "(JJLjava/nio/channels/WritableByteChannel;)J",
                "transferTo", "(Ljava/lang/Object;JJLjava/nio/channels/WritableByteChannel;)J", false);
        channels.forward(n, CHANNEL, "transferFromFileChannel", "(Lsun/nio/ch/FileChannelImpl;JJ)J",
                "transferFrom", "(Ljava/lang/Object;Ljava/lang/Object;JJ)J", false);
        channels.forward(n, CHANNEL, "transferFromArbitraryChannel", "(Ljava/nio/channels/ReadableByteChannel;JJ)J",
                "transferFrom", "(Ljava/lang/Object;Ljava/lang/Object;JJ)J", false);

        channels.forward(n, "sun/nio/ch/FileKey", "init", "(" + FD + ")V", "fileKey", "(Ljava/lang/Object;" + FD + ")V", false);
        n.register("org/vheap/device/boot/files/HeapChannels", "setFileKey", "(Ljava/lang/Object;JJ)V", (t, s, b) -> {
            vm.putLongField((int) s[b], vm.field("sun/nio/ch/FileKey", "st_dev"), s[b + 1]);
            vm.putLongField((int) s[b], vm.field("sun/nio/ch/FileKey", "st_ino"), s[b + 3]);
            return 0;
        });
        n.register("sun/nio/ch/NativeThread", "current", "()J", (t, s, b) -> 0);
        n.register("sun/nio/ch/NativeThread", "signal", "(J)V", Natives.nothing());
        n.register("sun/nio/ch/NativeThread", "init", "()V", Natives.nothing());

    }
}
