package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;
import org.vheap.device.vm.loader.VmMethod;

/**
 * Helpful NullPointerException messages (JEP 358), as HotSpot 17 writes them: what the failing instruction
 * could not do ({@code Cannot invoke "String.length()"}) and, when a data-flow analysis finds the one
 * instruction that produced the null, where it came from ({@code because "<local1>" is null}). The analysis
 * is ASM's {@link SourceInterpreter}; it runs only when an app asks an implicit NPE for its message.
 */
final class NullPointerMessages {
    private static final int MAX_DEPTH = 5;
    private final Map<VmMethod, Frame<SourceValue>[]> analyses = new HashMap<>();

    /** The message for an NPE raised at {@code pc} of {@code m}, or null when the instruction cannot raise one. */
    String message(VmMethod m, MethodCode code, int pc) {
        int index = insnIndex(m, code, pc);
        if (index < 0) {
            return null;
        }
        MethodNode node = m.node();
        AbstractInsnNode insn = node.instructions.get(index);
        Frame<SourceValue>[] states = analyze(m);
        Frame<SourceValue> f = states == null ? null : states[index];
        int top = f == null ? 0 : f.getStackSize();
        String action;
        int slot;
        switch (insn.getOpcode()) {
            case AALOAD, IALOAD, LALOAD, FALOAD, DALOAD, BALOAD, CALOAD, SALOAD -> {
                action = "Cannot load from " + arrayKind(insn.getOpcode(), true) + " array";
                slot = top - 2;
            }
            case AASTORE, IASTORE, LASTORE, FASTORE, DASTORE, BASTORE, CASTORE, SASTORE -> {
                action = "Cannot store to " + arrayKind(insn.getOpcode(), false) + " array";
                slot = top - 3;
            }
            case ARRAYLENGTH -> {
                action = "Cannot read the array length";
                slot = top - 1;
            }
            case ATHROW -> {
                action = "Cannot throw exception";
                slot = top - 1;
            }
            case MONITORENTER -> {
                action = "Cannot enter synchronized block";
                slot = top - 1;
            }
            case MONITOREXIT -> {
                action = "Cannot exit synchronized block";
                slot = top - 1;
            }
            case GETFIELD -> {
                action = "Cannot read field \"" + ((FieldInsnNode) insn).name + "\"";
                slot = top - 1;
            }
            case PUTFIELD -> {
                action = "Cannot assign field \"" + ((FieldInsnNode) insn).name + "\"";
                slot = top - 2;
            }
            case INVOKEVIRTUAL, INVOKEINTERFACE, INVOKESPECIAL -> {
                MethodInsnNode mi = (MethodInsnNode) insn;
                action = "Cannot invoke \"" + methodName(mi) + "\"";
                slot = top - 1 - Type.getArgumentTypes(mi.desc).length;
            }
            default -> {
                return null;
            }
        }
        if (f == null || slot < 0) {
            return action;
        }
        String because = describe(m, states, f.getStack(slot), 0, true);
        return because == null ? action : action + " because " + because + " is null";
    }

    private String describe(VmMethod m, Frame<SourceValue>[] states, SourceValue v, int depth, boolean outer) {
        if (v == null || v.insns.size() != 1 || depth > MAX_DEPTH) {
            return null;
        }
        AbstractInsnNode src = v.insns.iterator().next();
        MethodNode node = m.node();
        int srcIndex = node.instructions.indexOf(src);
        Frame<SourceValue> sf = states[srcIndex];
        switch (src.getOpcode()) {
            case ACONST_NULL:
                return outer ? "\"null\"" : "null";
            case ALOAD: {
                String name = localName(m, ((VarInsnNode) src).var, srcIndex);
                return outer ? "\"" + name + "\"" : name;
            }
            case GETSTATIC: {
                FieldInsnNode fi = (FieldInsnNode) src;
                String s = className(fi.owner) + "." + fi.name;
                return outer ? "\"" + s + "\"" : s;
            }
            case GETFIELD: {
                FieldInsnNode fi = (FieldInsnNode) src;
                String inner = sf == null ? null : describe(m, states, sf.getStack(sf.getStackSize() - 1), depth + 1, false);
                String s = (inner == null ? "" : inner + ".") + fi.name;
                return outer ? "\"" + s + "\"" : s;
            }
            case INVOKEVIRTUAL, INVOKEINTERFACE, INVOKESPECIAL, INVOKESTATIC: {
                String s = "the return value of \"" + methodName((MethodInsnNode) src) + "\"";
                return outer ? s : null;
            }
            case AALOAD: {
                if (sf == null) {
                    return null;
                }
                String array = describe(m, states, sf.getStack(sf.getStackSize() - 2), depth + 1, false);
                String index = describeIndex(m, states, sf.getStack(sf.getStackSize() - 1));
                String s = (array == null ? "..." : array) + "[" + index + "]";
                return outer ? "\"" + s + "\"" : s;
            }
            case DUP:
            case CHECKCAST:
                return sf == null ? null : describe(m, states, sf.getStack(sf.getStackSize() - 1), depth, outer);
            default:
                return null;
        }
    }

    private String describeIndex(VmMethod m, Frame<SourceValue>[] states, SourceValue v) {
        if (v.insns.size() != 1) {
            return "...";
        }
        AbstractInsnNode src = v.insns.iterator().next();
        int op = src.getOpcode();
        if (op >= ICONST_M1 && op <= ICONST_5) {
            return Integer.toString(op - ICONST_0);
        }
        if (op == BIPUSH || op == SIPUSH) {
            return Integer.toString(((IntInsnNode) src).operand);
        }
        if (op == LDC && ((LdcInsnNode) src).cst instanceof Integer i) {
            return i.toString();
        }
        if (op == ILOAD) {
            return localName(m, ((VarInsnNode) src).var, m.node().instructions.indexOf(src));
        }
        return "...";
    }

    /** A local's source name when the class has a LocalVariableTable, else HotSpot's placeholder. */
    private static String localName(VmMethod m, int slot, int insnIndex) {
        MethodNode node = m.node();
        if (node.localVariables != null) {
            for (LocalVariableNode lv : node.localVariables) {
                int start = node.instructions.indexOf(lv.start);
                int end = node.instructions.indexOf(lv.end);
                if (lv.index == slot && insnIndex >= start - 1 && insnIndex < end) {
                    return lv.name;
                }
            }
        }
        if (!m.isStatic() && slot == 0) {
            return "this";
        }
        int paramSlot = m.isStatic() ? 0 : 1;
        Type[] params = Type.getArgumentTypes(m.descriptor());
        for (int i = 0; i < params.length; i++) {
            if (paramSlot == slot) {
                return "<parameter" + (i + 1) + ">";
            }
            paramSlot += params[i].getSize();
        }
        return "<local" + slot + ">";
    }

    private static String methodName(MethodInsnNode mi) {
        StringBuilder b = new StringBuilder(className(mi.owner)).append('.').append(mi.name).append('(');
        Type[] args = Type.getArgumentTypes(mi.desc);
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(typeName(args[i]));
        }
        return b.append(')').toString();
    }

    private static String typeName(Type t) {
        if (t.getSort() == Type.ARRAY) {
            return typeName(t.getElementType()) + "[]".repeat(t.getDimensions());
        }
        return t.getSort() == Type.OBJECT ? className(t.getInternalName()) : t.getClassName();
    }

    /** External class name; HotSpot shortens only java.lang.Object and java.lang.String. */
    private static String className(String internalName) {
        return switch (internalName) {
            case "java/lang/Object" -> "Object";
            case "java/lang/String" -> "String";
            default -> internalName.replace('/', '.');
        };
    }

    private static String arrayKind(int op, boolean load) {
        return switch (op) {
            case AALOAD, AASTORE -> "object";
            case IALOAD, IASTORE -> "int";
            case LALOAD, LASTORE -> "long";
            case FALOAD, FASTORE -> "float";
            case DALOAD, DASTORE -> "double";
            case BALOAD, BASTORE -> "byte/boolean";
            case CALOAD, CASTORE -> "char";
            default -> "short";
        };
    }

    private Frame<SourceValue>[] analyze(VmMethod m) {
        return analyses.computeIfAbsent(m, k -> {
            try {
                return new Analyzer<>(new SourceInterpreter()).analyze(k.owner().name(), k.node());
            } catch (AnalyzerException e) {
                return null;
            }
        });
    }

    private static int insnIndex(VmMethod m, MethodCode code, int pc) {
        List<AbstractInsnNode> insns = List.of(m.node().instructions.toArray());
        for (int i = 0; i < insns.size(); i++) {
            if (insns.get(i).getOpcode() >= 0 && code.pcOfInsn[i] == pc) {
                return i;
            }
        }
        return -1;
    }
}
