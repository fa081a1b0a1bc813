package org.vheap.device.vm.loader;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.objectweb.asm.Opcodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH (not a test; docs/benchmarks.md says how to run it): a checkcast's subtype test of a class four levels below
 * its target class, through {@link VmClass#isSubtypeOf} (one look at the superclass display) against the way it was done
 * before, side by side: {@code supertypes.contains(target)} on the class's set of all its supertypes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubtypeJmh {
    private final VmClass target;
    private final VmClass[] leaves = new VmClass[4];
    private int next;

    public SubtypeJmh() {
        VmClass object = make(1, "java/lang/Object", null, Set.of());
        VmClass iface = new VmClass(2, "p/I", object, new VmClass[0], Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, null, null,
                "m", null, (char) 0, Set.of(object));
        VmClass base = make(3, "p/Base", object, Set.of(object));
        target = base;
        VmClass c = base;
        for (int depth = 0; depth < 4; depth++) {
            Set<VmClass> supers = new LinkedHashSet<>(c.supertypes);
            supers.add(c);
            supers.add(iface);
            c = make(10 + depth, "p/C" + depth, c, supers);
        }
        for (int i = 0; i < leaves.length; i++) {
            Set<VmClass> supers = new LinkedHashSet<>(c.supertypes);
            supers.add(c);
            leaves[i] = make(20 + i, "p/Leaf" + i, c, supers);
        }
    }

    private static VmClass make(int id, String name, VmClass superclass, Set<VmClass> supertypes) {
        return new VmClass(id, name, superclass, new VmClass[0], Opcodes.ACC_PUBLIC, null, null, "m", null, (char) 0,
                Set.copyOf(supertypes));
    }

    @Benchmark
    public boolean display() {
        return leaves[next++ & 3].isSubtypeOf(target);
    }

    @Benchmark
    public boolean supertypeSet() {
        VmClass c = leaves[next++ & 3];
        return c == target || c.supertypes.contains(target);
    }
}
