package flexos.attacks.hostile;

import flexos.attacks.api.Vault;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.ModuleReference;
import java.lang.reflect.AccessFlag;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Around the rewriter: the refused operations, reached by routes a check of the call sites in the library's own
 * class files does not see: reflection on reflection, a bound method handle, code defined at run time, and the
 * library's own classes loaded a second time by a class loader of its own.
 */
public final class AroundRewriter {

    private AroundRewriter() {
    }

    /** {@code System.exit} through {@code Method.invoke} of {@code Method.invoke}. */
    public static final class ExitInvokeInvoke extends HostileLibrary {
        public ExitInvokeInvoke() {
            super("exit-invoke-invoke");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws ReflectiveOperationException {
            Method invoke = Method.class.getMethod("invoke", Object.class, Object[].class);
            Method exit = System.class.getMethod("exit", int.class);
            invoke.invoke(exit, null, new Object[] {69});
            return 0;
        }
    }

    /** {@code Runtime.halt} through a handle bound to the runtime with {@code Lookup.bind}. */
    public static final class HaltBind extends HostileLibrary {
        public HaltBind() {
            super("halt-bind");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Throwable {
            MethodHandle halt = MethodHandles.lookup().bind(Runtime.getRuntime(), "halt",
                    MethodType.methodType(void.class, int.class));
            halt.invoke(70);
            return 0;
        }
    }

    /**
     * {@code sun.misc.Unsafe} through method handles: the instance from a private lookup's static getter, the read
     * through a handle bound to it.
     */
    public static final class UnsafeBoundHandle extends HostileLibrary {
        public UnsafeBoundHandle() {
            super("unsafe-bound-handle");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Throwable {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unsafeClass, MethodHandles.lookup());
            Object unsafe = lookup.findStaticGetter(unsafeClass, "theUnsafe", unsafeClass).invoke();
            MethodHandle getLong = MethodHandles.lookup().bind(unsafe, "getLong",
                    MethodType.methodType(long.class, long.class));
            return (long) getLong.invoke(secretAddress);
        }
    }

    /**
     * A hidden class defined at run time ({@code Lookup.defineHiddenClass}) from bytes the attacker builds with the
     * class-file API: its one method halts the runtime. No class file of the library contains that call.
     */
    public static final class HiddenClass extends HostileLibrary {
        public HiddenClass() {
            super("hidden-class");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Throwable {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ClassDesc runtime = ClassDesc.of("java.lang.Runtime");
            String name = lookup.lookupClass().getPackageName() + ".Spawned";
            byte[] bytes = ClassFile.of().build(ClassDesc.of(name), c -> c
                    .withFlags(AccessFlag.PUBLIC, AccessFlag.FINAL)
                    .withMethodBody("go", MethodTypeDesc.of(ConstantDescs.CD_void),
                            ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code
                                    .invokestatic(runtime, "getRuntime", MethodTypeDesc.of(runtime))
                                    .bipush(71)
                                    .invokevirtual(runtime, "halt", MethodTypeDesc.of(ConstantDescs.CD_void,
                                            ConstantDescs.CD_int))
                                    .return_()));
            Class<?> spawned = lookup.defineHiddenClass(bytes, true).lookupClass();
            lookup.findStatic(spawned, "go", MethodType.methodType(void.class)).invoke();
            return 0;
        }
    }

    /** Halts the runtime: loaded only through {@link ReloadOwnJar}'s class loader, never called directly. */
    public static final class Halter implements Runnable {
        public Halter() {
        }

        @Override
        public void run() {
            Runtime.getRuntime().halt(72);
        }
    }

    /**
     * Loads the library's own jar (or classes directory) again in a {@code URLClassLoader} of its own, whose classes no
     * one has rewritten, and runs {@link Halter} from there.
     */
    public static final class ReloadOwnJar extends HostileLibrary {
        public ReloadOwnJar() {
            super("reload-own-jar");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Exception {
            URL own = ownLocation(getClass()).toURL();
            try (URLClassLoader loader = new URLClassLoader(new URL[] {own}, ClassLoader.getPlatformClassLoader())) {
                Class<?> halter = loader.loadClass(Halter.class.getName());
                ((Runnable) halter.getDeclaredConstructor().newInstance()).run();
            }
            return 0;
        }

        private static URI ownLocation(Class<?> type) {
            Module module = type.getModule();
            if (module.getLayer() != null) {
                ModuleReference reference = module.getLayer().configuration().findModule(module.getName())
                        .orElseThrow().reference();
                if (reference.location().isPresent()) {
                    return reference.location().get();
                }
            }
            try {
                return type.getProtectionDomain().getCodeSource().getLocation().toURI();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
