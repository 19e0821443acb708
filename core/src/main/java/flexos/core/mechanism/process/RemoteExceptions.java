package flexos.core.mechanism.process;

import flexos.core.mechanism.GateFault;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * What a caller gets for an exception thrown on the other side of a process gate, known only by its type's name and
 * its message. The JDK's and the APIs' own runtime exceptions (classes every compartment shares, which API contracts
 * use, such as {@code NumberFormatException} or {@code NetException}) are rebuilt with the message; anything else,
 * and every {@link Error}, becomes a {@link GateFault} naming the remote type. No code of the other side runs.
 */
final class RemoteExceptions {

    private RemoteExceptions() {
    }

    static RuntimeException rebuild(String compartment, String call, String type, String message, boolean error) {
        String text = message == null ? "" : ": " + message;
        if (type.equals(GateFault.class.getName())) {
            return new GateFault(compartment, false, message);
        }
        if (error) {
            return new GateFault(compartment, true, "compartment " + compartment + " crashed with " + type + text
                    + " in " + call + "; its process is stopped");
        }
        if (shared(type)) {
            try {
                Class<?> c = RpcEndpoint.classNamed(type);
                if (RuntimeException.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers())) {
                    Constructor<?> constructor = c.getConstructor(String.class);
                    return (RuntimeException) constructor.newInstance(message);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Not rebuildable: fall through to a GateFault that names it.
            }
        }
        return new GateFault(compartment, false, "compartment " + compartment + " threw " + type + text + " in " + call);
    }

    private static boolean shared(String type) {
        int dot = type.lastIndexOf('.');
        String pkg = dot < 0 ? "" : type.substring(0, dot);
        return pkg.startsWith("java.") || pkg.endsWith(".api");
    }
}
