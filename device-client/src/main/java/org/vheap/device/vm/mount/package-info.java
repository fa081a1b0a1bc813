/**
 * Host directories a device lends its apps ({@code --mount HOSTDIR:/PATH[:ro]}), the host's side: the
 * {@link org.vheap.device.vm.mount.Mount}s, and {@link org.vheap.device.vm.mount.HostMounts}, the file operations on
 * them by the app's paths, answering POSIX errnos. The app's side, which keeps where its mounts are in its file system,
 * is the boot class {@code org.vheap.device.boot.files.Mounts}; the natives between them are
 * {@code vm.natives.MountNatives}. A mount's files never become heap data, so no checkpoint carries them.
 */
package org.vheap.device.vm.mount;
