package org.vheap.device.vm.natives;

import java.nio.ByteBuffer;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.mount.HostMounts;

/**
 * The device's half of mounted host directories: the natives of boot class {@code org.vheap.device.boot.files.Mounts}
 * (the app's side, which keeps where its mounts are) over {@link HostMounts} (the host's directories and the file
 * operations on them). Paths are the app's, absolute and resolved; results are 0, counts, or errnos as
 * {@link HostMounts} gives them.
 */
final class MountNatives {
    private static final String MOUNTS = "org/vheap/device/boot/files/Mounts";
    private static final String STRING = "Ljava/lang/String;";

    private MountNatives() {
    }

    static void register(Natives n, Vm vm) {
        HostMounts mounts = vm.mounts();
        n.register(MOUNTS, "generation", "()J", (t, s, b) -> mounts.generation());
        n.register(MOUNTS, "offered", "()" + STRING, (t, s, b) -> vm.strings().newString(mounts.offered()));
        n.register(MOUNTS, "list", "(" + STRING + ")" + STRING, (t, s, b) -> vm.strings().newString(mounts.list(path(vm, s[b]))));
        n.register(MOUNTS, "stat", "(" + STRING + ")" + STRING, (t, s, b) -> vm.strings().newString(mounts.stat(path(vm, s[b]))));
        n.register(MOUNTS, "read", "(" + STRING + "J[BII)I", (t, s, b) -> {
            int len = (int) s[b + 5];
            ByteBuffer into = ByteBuffer.allocate(len);
            int n2 = mounts.read(path(vm, s[b]), s[b + 1], into);
            if (n2 > 0) {
                vm.putBytes((int) s[b + 3], (int) s[b + 4], into.array(), n2);
            }
            return n2;
        });
        n.register(MOUNTS, "write", "(" + STRING + "JZ[BII)J", (t, s, b) -> mounts.write(path(vm, s[b]), s[b + 1], s[b + 3] != 0,
                ByteBuffer.wrap(vm.bytesOf((int) s[b + 4], (int) s[b + 5], (int) s[b + 6]))));
        n.register(MOUNTS, "truncate", "(" + STRING + "J)I", (t, s, b) -> mounts.truncate(path(vm, s[b]), s[b + 1]));
        n.register(MOUNTS, "create", "(" + STRING + "ZI)I", (t, s, b) -> mounts.create(path(vm, s[b]), s[b + 1] != 0, (int) s[b + 2]));
        n.register(MOUNTS, "delete", "(" + STRING + ")I", (t, s, b) -> mounts.delete(path(vm, s[b])));
        n.register(MOUNTS, "rename", "(" + STRING + STRING + ")I", (t, s, b) -> mounts.rename(path(vm, s[b]), path(vm, s[b + 1])));
        n.register(MOUNTS, "setAttributes", "(" + STRING + "IJ)I", (t, s, b) ->
                mounts.setAttributes(path(vm, s[b]), (int) s[b + 1], s[b + 2]));
    }

    private static String path(Vm vm, long string) {
        return vm.strings().hostString((int) string);
    }
}
