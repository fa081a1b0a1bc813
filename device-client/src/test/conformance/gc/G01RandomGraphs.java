// @args 6000
// A randomized object graph mutated under the collector (the collector's model test): nodes with references,
// values and arrays of nodes, static roots, an IdentityHashMap, interned strings and a monitor a thread waits on,
// all while the program allocates enough garbage for many minor and some full collections. A model in primitive
// arrays (what each node's fields must hold, and its identity hash) is checked against the reachable graph after
// every step; so objects that move keep every field, every reference and their identity hash.
import java.util.IdentityHashMap;

public class G01RandomGraphs {
    static final class Node {
        Node a, b;
        Node[] kids;
        final int id;
        long value;

        Node(int id, long value) {
            this.id = id;
            this.value = value;
        }
    }

    static final int MAX_NODES = 1 << 16;
    // the model: for node i, the ids its fields must name (-1: null), its value and identity hash
    static final int[] A = new int[MAX_NODES];
    static final int[] B = new int[MAX_NODES];
    static final long[] VALUE = new long[MAX_NODES];
    static final int[] HASH = new int[MAX_NODES];
    static final int[][] KIDS = new int[MAX_NODES][];
    static final Node[] ROOTS = new Node[64];
    static Node staticRoot;
    static long seed = 42;
    static int nextId;
    static Object sink;

    static int random(int bound) {
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        return (int) ((seed >>> 33) % bound);
    }

    static Node newNode() {
        int id = nextId++ % MAX_NODES;
        Node n = new Node(id, random(1_000_000));
        A[id] = -1;
        B[id] = -1;
        VALUE[id] = n.value;
        HASH[id] = System.identityHashCode(n);
        KIDS[id] = null;
        return n;
    }

    /** A node reachable from the roots: a root, then a few random steps along its fields. */
    static Node somewhere() {
        Node n = ROOTS[random(ROOTS.length)];
        for (int steps = random(4); n != null && steps > 0; steps--) {
            Node next = random(2) == 0 ? n.a : n.b;
            if (next == null && n.kids != null && n.kids.length > 0) {
                next = n.kids[random(n.kids.length)];
            }
            if (next == null) {
                break;
            }
            n = next;
        }
        return n;
    }

    static void setA(Node n, Node to) {
        n.a = to;
        A[n.id] = to == null ? -1 : to.id;
    }

    static void setB(Node n, Node to) {
        n.b = to;
        B[n.id] = to == null ? -1 : to.id;
    }

    static void setKid(Node n, int i, Node to) {
        n.kids[i] = to;
        KIDS[n.id][i] = to == null ? -1 : to.id;
    }

    static void giveKids(Node n, int length) {
        n.kids = new Node[length];
        KIDS[n.id] = new int[length];
        java.util.Arrays.fill(KIDS[n.id], -1);
    }

    /** The sum of the values reachable from {@code root} not yet seen, each node checked against the model. */
    static long check(Node root, IdentityHashMap<Node, Boolean> seen) {
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>();
        long sum = 0;
        if (root != null) {
            todo.push(root);
        }
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (seen.put(n, Boolean.TRUE) != null) {
                continue;
            }
            int id = n.id;
            if (n.value != VALUE[id] || System.identityHashCode(n) != HASH[id]
                    || (n.a == null ? -1 : n.a.id) != A[id] || (n.b == null ? -1 : n.b.id) != B[id]) {
                throw new AssertionError("node " + id + " changed: value " + n.value + " expected " + VALUE[id]);
            }
            sum += n.value;
            if (n.kids != null) {
                if (KIDS[id] == null || n.kids.length != KIDS[id].length) {
                    throw new AssertionError("node " + id + " lost its kids");
                }
                for (int i = 0; i < n.kids.length; i++) {
                    if ((n.kids[i] == null ? -1 : n.kids[i].id) != KIDS[id][i]) {
                        throw new AssertionError("node " + id + " kid " + i + " changed");
                    }
                    if (n.kids[i] != null) {
                        todo.push(n.kids[i]);
                    }
                }
            }
            if (n.a != null) {
                todo.push(n.a);
            }
            if (n.b != null) {
                todo.push(n.b);
            }
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(args[0]);
        Object lock = new Object();
        boolean[] woke = {false};
        Thread waiter = new Thread(() -> {
            synchronized (lock) {
                while (!woke[0]) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            System.out.println("waiter woke on the same monitor");
        });
        waiter.start();
        IdentityHashMap<Node, Integer> identities = new IdentityHashMap<>();
        for (int i = 0; i < ROOTS.length; i++) {
            ROOTS[i] = newNode();
        }
        long total = 0;
        for (int step = 1; step <= steps; step++) {
            Node n = somewhere();
            switch (random(10)) {
                case 0, 1 -> ROOTS[random(ROOTS.length)] = newNode();
                case 2 -> { if (n != null) setA(n, newNode()); }
                case 3 -> { if (n != null) setB(n, random(3) == 0 ? null : somewhere()); }
                case 4 -> {
                    if (n != null) {
                        // now and then an array too large for the nursery: it starts in the user heap
                        giveKids(n, random(8) == 0 ? 9000 : 1 + random(12));
                        for (int k = 0; k < Math.min(n.kids.length, 40); k++) {
                            setKid(n, random(n.kids.length), newNode());
                        }
                    }
                }
                case 5 -> {
                    Node m = somewhere();
                    if (n != null && m != null && n.kids != null && m.kids != null && n != m) {
                        int len = Math.min(n.kids.length, m.kids.length);
                        System.arraycopy(m.kids, 0, n.kids, 0, len);
                        System.arraycopy(KIDS[m.id], 0, KIDS[n.id], 0, len);
                    }
                }
                case 6 -> {
                    if (n != null && n.kids != null) {
                        Node copy = newNode();
                        copy.kids = n.kids.clone();
                        KIDS[copy.id] = KIDS[n.id].clone();
                        ROOTS[random(ROOTS.length)] = copy;
                    }
                }
                case 7 -> {
                    staticRoot = newNode();
                    setA(staticRoot, n);
                    ROOTS[0] = staticRoot;
                }
                case 8 -> {
                    if (n != null) {
                        identities.put(n, n.id);
                        synchronized (n) {
                            sink = new long[2000];   // garbage while the node's monitor is held
                        }
                    }
                }
                default -> {
                    for (int g = 0; g < 30; g++) {
                        sink = new int[random(200)];
                    }
                    sink = ("gc-" + random(50)).intern();
                }
            }
            if (step % 50 == 0) {
                IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
                total = 0;
                for (Node r : ROOTS) {
                    total += check(r, seen);
                }
                total += check(staticRoot, seen);
            }
            if (step % 1000 == 0) {
                System.out.println("step " + step + " reachable sum " + total);
            }
        }
        int found = 0;
        for (var e : identities.entrySet()) {
            if (e.getKey().id == e.getValue() && identities.get(e.getKey()) == e.getValue()) {
                found++;
            }
        }
        System.out.println("identity map entries found again: " + (found == identities.size()));
        System.out.println("interned literal is the interned string: " + (("gc-" + 7).intern() == "gc-7"));
        synchronized (lock) {
            woke[0] = true;
            lock.notifyAll();
        }
        waiter.join();
    }
}
