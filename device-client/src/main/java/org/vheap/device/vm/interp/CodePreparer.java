package org.vheap.device.vm.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.loader.VmMethod;

/**
 * Turns a method's ASM instruction list into {@link MethodCode}: one pass assigns each instruction its position
 * (labels take the position of the next instruction), a second emits ops and operands (see {@link Ops}).
 * Deterministic: the same class bytes always give the same positions, which checkpoints rely on.
 */
final class CodePreparer {
    /** Changes whenever the encoding changes; saved with checkpointed pcs. */
    static final int VERSION = 1;

    private CodePreparer() {
    }

    /** The prepared code of a method with bytecode, prepared at its first use and kept with the method. */
    static MethodCode prepared(VmMethod m) {
        MethodCode code = (MethodCode) m.code;
        if (code == null) {
            code = prepare(m);
            m.code = code;
        }
        return code;
    }

    static MethodCode prepare(VmMethod method) {
        MethodNode m = method.node();
        InsnList insns = m.instructions;
        int n = insns.size();
        int[] pcOfInsn = new int[n];
        Map<LabelNode, Integer> labels = new HashMap<>();
        List<LabelNode> pendingLabels = new ArrayList<>();
        int pc = 0;
        for (int i = 0; i < n; i++) {
            AbstractInsnNode insn = insns.get(i);
            pcOfInsn[i] = pc;
            if (insn instanceof LabelNode l) {
                pendingLabels.add(l);
                continue;
            }
            if (insn.getOpcode() < 0) {
                continue;
            }
            for (LabelNode l : pendingLabels) {
                labels.put(l, pc);
            }
            pendingLabels.clear();
            pc += Ops.length(opFor(insn));
        }
        for (LabelNode l : pendingLabels) {
            labels.put(l, pc);
        }
        int[] code = new int[pc];
        List<Object> refs = new ArrayList<>();
        List<int[]> switches = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        pc = 0;
        for (int i = 0; i < n; i++) {
            AbstractInsnNode insn = insns.get(i);
            if (insn instanceof LineNumberNode ln) {
                lines.add(labels.get(ln.start));
                lines.add(ln.line);
                continue;
            }
            int op = insn.getOpcode();
            if (op < 0) {
                continue;
            }
            int emitted = opFor(insn);
            code[pc] = emitted;
            switch (insn.getType()) {
                case AbstractInsnNode.INT_INSN -> code[pc + 1] = ((IntInsnNode) insn).operand;
                case AbstractInsnNode.VAR_INSN -> code[pc + 1] = ((VarInsnNode) insn).var;
                case AbstractInsnNode.IINC_INSN -> {
                    code[pc + 1] = ((IincInsnNode) insn).var;
                    code[pc + 2] = ((IincInsnNode) insn).incr;
                }
                case AbstractInsnNode.JUMP_INSN -> code[pc + 1] = labels.get(((JumpInsnNode) insn).label);
                case AbstractInsnNode.LDC_INSN -> {
                    Object cst = ((LdcInsnNode) insn).cst;
                    if (cst instanceof Integer v) {
                        code[pc + 1] = v;
                    } else if (cst instanceof Float v) {
                        code[pc + 1] = Float.floatToRawIntBits(v);
                    } else if (cst instanceof Long || cst instanceof Double) {
                        long bits = cst instanceof Long l ? l : Double.doubleToRawLongBits((Double) cst);
                        code[pc + 1] = (int) (bits >>> 32);
                        code[pc + 2] = (int) bits;
                    } else {
                        code[pc + 1] = refs.size();
                        refs.add(cst);
                    }
                }
                case AbstractInsnNode.TABLESWITCH_INSN -> {
                    TableSwitchInsnNode t = (TableSwitchInsnNode) insn;
                    int[] table = new int[3 + t.labels.size()];
                    table[0] = t.min;
                    table[1] = t.max;
                    table[2] = labels.get(t.dflt);
                    for (int k = 0; k < t.labels.size(); k++) {
                        table[3 + k] = labels.get(t.labels.get(k));
                    }
                    code[pc + 1] = switches.size();
                    switches.add(table);
                }
                case AbstractInsnNode.LOOKUPSWITCH_INSN -> {
                    LookupSwitchInsnNode l = (LookupSwitchInsnNode) insn;
                    int count = l.keys.size();
                    int[] table = new int[2 + 2 * count];
                    table[0] = labels.get(l.dflt);
                    table[1] = count;
                    for (int k = 0; k < count; k++) {
                        table[2 + k] = l.keys.get(k);
                        table[2 + count + k] = labels.get(l.labels.get(k));
                    }
                    code[pc + 1] = switches.size();
                    switches.add(table);
                }
                case AbstractInsnNode.MULTIANEWARRAY_INSN -> {
                    code[pc + 1] = refs.size();
                    refs.add(insn);
                    code[pc + 2] = ((MultiANewArrayInsnNode) insn).dims;
                }
                case AbstractInsnNode.TYPE_INSN, AbstractInsnNode.FIELD_INSN, AbstractInsnNode.METHOD_INSN,
                     AbstractInsnNode.INVOKE_DYNAMIC_INSN -> {
                    code[pc + 1] = refs.size();
                    refs.add(insn);
                }
                default -> {
                    if (op == Opcodes.JSR || op == Opcodes.RET) {
                        throw JavaError.verify("jsr/ret in " + method + " (class files before version 51) are not supported");
                    }
                }
            }
            pc += Ops.length(emitted);
        }
        int[] handlers = new int[m.tryCatchBlocks.size() * 4];
        int h = 0;
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            handlers[h++] = labels.get(t.start);
            handlers[h++] = labels.get(t.end);
            handlers[h++] = labels.get(t.handler);
            if (t.type == null) {
                handlers[h++] = -1;
            } else {
                handlers[h++] = refs.size();
                refs.add(Type.getObjectType(t.type));
            }
        }
        return new MethodCode(method, code, m.maxLocals, m.maxStack, refs.toArray(), switches.toArray(new int[0][]),
                handlers, lines.stream().mapToInt(Integer::intValue).toArray(), pcOfInsn);
    }

    private static int opFor(AbstractInsnNode insn) {
        if (insn instanceof LdcInsnNode l) {
            Object c = l.cst;
            if (c instanceof Integer || c instanceof Float) {
                return Ops.LDC_INT;
            }
            if (c instanceof Long || c instanceof Double) {
                return Ops.LDC_LONG;
            }
            return Ops.LDC_OBJECT;
        }
        if (insn instanceof TypeInsnNode && insn.getOpcode() == Opcodes.NEW) {
            return Opcodes.NEW;
        }
        return insn.getOpcode();
    }
}
