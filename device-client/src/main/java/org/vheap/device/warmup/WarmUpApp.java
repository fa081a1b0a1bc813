package org.vheap.device.warmup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scratch app of a device's warm-up ({@code org.vheap.device.CodeCacheWarmUp}): a guest program, run by the
 * device VM from this class file, never by the host. It does, over and over until it is suspended or stopped, what
 * most apps do early on — prints numbers and strings, concatenates strings, fills a list and a map, calls a lambda,
 * sleeps — so the JDK classes those need are parsed, and the VM's paths for them compiled by the host JIT, before a
 * real app arrives. Its output goes nowhere.
 */
public final class WarmUpApp {
    private WarmUpApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> names = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (long i = 0; ; i++) {
            String name = "n" + i;
            names.add(name);
            counts.merge(name.substring(0, Math.min(2, name.length())), 1, Integer::sum);
            System.out.println(i);
            System.out.println(name + " " + names.size() + " " + counts.size());
            if (names.size() >= 64) {
                names.clear();
                counts.clear();
            }
            Thread.sleep(2);
        }
    }
}
