package flexos.attacks.hostile;

import flexos.attacks.api.Vault;
import java.lang.classfile.ClassFile;
import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Stack depth: the attacker calls with its stack nearly full, so that the {@code StackOverflowError} strikes in code
 * that is not its own. It recurses until the stack overflows, then, on the way back up, tries at each depth; at
 * some depth the callee's first frames fit and a later one does not.
 */
public final class StackDepth {

    private StackDepth() {
    }

    /** How many frames from the deepest point the attacks try, at most: past these the stack has room to spare. */
    private static final int TRIES = 4_000;

    /**
     * Calls the vault with the stack nearly full, so that the overflow strikes between the call's two updates and
     * leaves the vault's accounts out of balance. It stops as soon as the vault says it is broken.
     */
    abstract static class OverflowInto extends HostileLibrary {
        private Vault victim;
        private boolean broken;
        private int tries;

        OverflowInto(String name) {
            super(name);
        }

        /** The call that should overflow half way. */
        abstract void call(Vault vault);

        @Override
        protected long attack(Vault vault, long secretAddress) {
            victim = vault;
            dive();
            return 0;
        }

        private void dive() {
            try {
                dive();
            } catch (StackOverflowError deepest) {
                // The bottom: from here on up, try.
            }
            if (broken || tries >= TRIES) {
                return;
            }
            tries++;
            try {
                call(victim);
            } catch (Throwable t) {
                // Overflowed somewhere in the call: look whether it was half way.
            }
            try {
                broken = !victim.intact();
            } catch (Throwable t) {
                // No room to ask yet; a shallower frame asks.
            }
        }
    }

    /** {@code vault.transfer}: a plain method call half way (the gate's reserved stack covers it). */
    public static final class OverflowInVictim extends OverflowInto {
        public OverflowInVictim() {
            super("overflow-in-victim");
        }

        @Override
        void call(Vault vault) {
            vault.transfer(1);
        }
    }

    /**
     * {@code vault.transferNoted}: half way, the first run of a lambda's call site, whose bootstrap needs far more
     * stack than a plain call (docs/module-mechanism.md, Limits: call sites linked at first use).
     */
    public static final class OverflowInLambda extends OverflowInto {
        public OverflowInLambda() {
            super("overflow-in-lambda");
        }

        @Override
        void call(Vault vault) {
            vault.transferNoted(1);
        }
    }

    /** {@code vault.transferRecorded}: half way, the first run of a record's {@code toString} call site. */
    public static final class OverflowInRecord extends OverflowInto {
        public OverflowInRecord() {
            super("overflow-in-record");
        }

        @Override
        void call(Vault vault) {
            vault.transferRecorded(1);
        }
    }

    /** {@code vault.transferMatched}: half way, the first run of a pattern switch's call site. */
    public static final class OverflowInSwitch extends OverflowInto {
        public OverflowInSwitch() {
            super("overflow-in-switch");
        }

        @Override
        void call(Vault vault) {
            vault.transferMatched(1);
        }
    }

    /** {@code vault.transferFormatted}: half way, {@code String.format}, used there for the first time. */
    public static final class OverflowInFormat extends OverflowInto {
        public OverflowInFormat() {
            super("overflow-in-format");
        }

        @Override
        void call(Vault vault) {
            vault.transferFormatted(1);
        }
    }

    /** {@code vault.transferCounted}: half way, the first run of a {@code VarHandle} access. */
    public static final class OverflowInVarHandle extends OverflowInto {
        public OverflowInVarHandle() {
            super("overflow-in-varhandle");
        }

        @Override
        void call(Vault vault) {
            vault.transferCounted(1);
        }
    }

    /**
     * Makes a JDK class's initialiser overflow: the class is then in error for every compartment of the JVM. The
     * class is {@code java.util.zip.CRC32C}, which the probe leaves uninitialised until its health check.
     *
     * <p>The recursion is a generated method padded past the JIT's size limit ({@code HugeMethodLimit}, 8000 bytes
     * of bytecode), so that it always runs interpreted: compiled frames are small and deoptimise on the first
     * {@code new} of the class, which spoils the aim; interpreted ones land the overflow in the initialiser every time
     * (measured on JDK 25). Each level, on the way back up, tries {@code new CRC32C()}: the first try that reaches the
     * initialiser overflows inside it, the next one gets "Could not initialize class".
     */
    public static final class OverflowInClassInit extends HostileLibrary {
        private static final int PADDING = 8_100;

        public OverflowInClassInit() {
            super("overflow-in-clinit");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Throwable {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ClassDesc self = ClassDesc.of(lookup.lookupClass().getPackageName() + ".Diver");
            ClassDesc victim = ClassDesc.of("java.util.zip.CRC32C");
            MethodTypeDesc returnsBoolean = MethodTypeDesc.of(ConstantDescs.CD_boolean);
            byte[] bytes = ClassFile.of().build(self, c -> c.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL)
                    .withMethodBody("dive", returnsBoolean, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> {
                        for (int i = 0; i < PADDING; i++) {
                            code.nop();
                        }
                        // if (dive()) return true;  (a StackOverflowError from below: try here)
                        code.trying(t -> t.invokestatic(self, "dive", returnsBoolean)
                                        .ifThen(Opcode.IFNE, b -> b.iconst_1().ireturn()),
                                k -> k.catching(ClassDesc.of("java.lang.StackOverflowError"), h -> h.pop()));
                        // try { new CRC32C(); return true; } catch (NoClassDefFoundError e) { return true; }
                        // catch (Throwable t) { }  return false;
                        code.trying(t -> t.new_(victim).dup().invokespecial(victim, "<init>", ConstantDescs.MTD_void)
                                        .pop().iconst_1().ireturn(),
                                k -> k.catching(ClassDesc.of("java.lang.NoClassDefFoundError"),
                                        h -> h.pop().iconst_1().ireturn()).catchingAll(h -> h.pop()));
                        code.iconst_0().ireturn();
                    }));
            Class<?> diver = lookup.defineHiddenClass(bytes, true).lookupClass();
            boolean done = (boolean) lookup.findStatic(diver, "dive", MethodType.methodType(boolean.class)).invoke();
            return done ? 1 : 0;
        }
    }
}
