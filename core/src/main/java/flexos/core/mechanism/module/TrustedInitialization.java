package flexos.core.mechanism.module;

/**
 * Initializes every JDK class the {@link Allowlist} names, once per JVM, when the first {@code module} compartment
 * is opened: in trusted code, with the stack of the image's start. A class whose initializer fails is marked
 * erroneous for the whole JVM; if its first use were a compartment's, a caller could make that initializer fail
 * (a {@code StackOverflowError} provoked by calling with the stack nearly full) and break the class for every
 * compartment. JDK classes that listed members use internally are not covered (docs/module-mechanism.md, "Limits").
 */
final class TrustedInitialization {

    private static volatile boolean done;

    private TrustedInitialization() {
    }

    static void ensure() {
        if (done) {
            return;
        }
        synchronized (TrustedInitialization.class) {
            if (done) {
                return;
            }
            ClassLoader platform = ClassLoader.getPlatformClassLoader();
            for (String owner : Allowlist.shipped().owners()) {
                if (owner.startsWith("java/") || owner.startsWith("javax/") || owner.startsWith("jdk/")) {
                    try {
                        Class.forName(owner.replace('/', '.'), true, platform);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // Not in this JDK (a listed class of a module the image does not load): nothing to poison.
                    }
                }
            }
            done = true;
        }
    }
}
