package flexos.core.mechanism.process.sandbox;

import java.lang.invoke.MethodHandle;

/**
 * The user and group a compartment process runs as. Through glibc's own {@code setgroups}, {@code setresgid} and
 * {@code setresuid}, which apply the change to every thread of the process (glibc signals each thread to make the
 * call itself), so no JVM thread keeps root. Dropping every uid from 0 also drops every capability.
 */
final class Identity {

    private static final MethodHandle SETGROUPS = Linux.libc("setgroups", true, 2);
    private static final MethodHandle SETRESGID = Linux.libc("setresgid", true, 3);
    private static final MethodHandle SETRESUID = Linux.libc("setresuid", true, 3);
    private static final MethodHandle GETEUID = Linux.libc("geteuid", true, 0);
    private static final MethodHandle GETEGID = Linux.libc("getegid", true, 0);

    private Identity() {
    }

    static int effectiveUid() {
        return (int) Linux.call("geteuid", GETEUID);
    }

    /** Becomes user and group {@code id} with no supplementary groups; throws when any step is refused. */
    static void become(int id) {
        Linux.call("setgroups(0)", SETGROUPS, 0, 0);
        Linux.call("setresgid", SETRESGID, id, id, id);
        Linux.call("setresuid", SETRESUID, id, id, id);
        if (effectiveUid() != id || (int) Linux.call("getegid", GETEGID) != id) {
            throw new IllegalStateException("the process did not become uid/gid " + id);
        }
    }
}
