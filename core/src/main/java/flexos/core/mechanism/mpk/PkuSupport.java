package flexos.core.mechanism.mpk;

import flexos.core.mechanism.mpk.cpu.PkeyCalls;
import flexos.core.mechanism.Mechanism.Availability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether this machine gives a JVM memory protection keys: an x86-64 CPU that has them ({@code pku} in
 * {@code /proc/cpuinfo}), a Linux kernel that enabled them ({@code ospke}), a C library with the {@code pkey_*}
 * functions, and a {@code pkey_alloc} that succeeds (a hypervisor may hide the feature behind the flags, and a
 * container may refuse the call). {@link #judge} is the decision as plain code; {@link #onThisMachine} applies it
 * here, once per JVM.
 */
final class PkuSupport {

    /** The sentence a user sees wherever mpk is refused for want of keys. */
    static final String NO_PKU = "this CPU has no memory protection keys (pku)";

    private static final Pattern FLAGS = Pattern.compile("^flags\\s*:(.*)$", Pattern.MULTILINE);

    /** Tries to allocate (and free) a protection key: empty if it worked, else why not. */
    interface KeyProbe {
        Optional<String> tryKey();
    }

    private PkuSupport() {
    }

    /**
     * The decision, from what a machine says about itself.
     *
     * @param osName  {@code os.name}
     * @param osArch  {@code os.arch}
     * @param cpuinfo the text of {@code /proc/cpuinfo}, or null if it could not be read
     * @param probe   asked last, only if everything else is there
     */
    static Availability judge(String osName, String osArch, String cpuinfo, KeyProbe probe) {
        if (!osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return Availability.unavailable(NO_PKU + " that this JVM can use: protection keys need Linux's pkey "
                    + "system calls, and this is " + osName);
        }
        if (!osArch.equals("amd64") && !osArch.equals("x86_64")) {
            return Availability.unavailable(NO_PKU + ": protection keys are an x86-64 feature, and this is " + osArch);
        }
        if (cpuinfo == null) {
            return Availability.unavailable(NO_PKU + ": /proc/cpuinfo cannot be read, so the pku flag cannot be seen");
        }
        Set<String> flags = flags(cpuinfo);
        if (!flags.contains("pku")) {
            return Availability.unavailable(NO_PKU + ": /proc/cpuinfo lists no pku flag");
        }
        if (!flags.contains("ospke")) {
            return Availability.unavailable("this CPU has memory protection keys (pku) but the kernel did not enable "
                    + "them: /proc/cpuinfo lists no ospke flag");
        }
        Optional<String> refused = probe.tryKey();
        if (refused.isPresent()) {
            return Availability.unavailable(NO_PKU + " that this process can use: /proc/cpuinfo lists pku and ospke,"
                    + " but " + refused.get());
        }
        return new Availability(true, "pku and ospke in /proc/cpuinfo, and pkey_alloc gives keys: "
                + MpkMechanism.USABLE_KEYS + " for compartments");
    }

    /** The flags of the first processor in {@code cpuinfo}. */
    static Set<String> flags(String cpuinfo) {
        Matcher matcher = FLAGS.matcher(cpuinfo);
        if (!matcher.find()) {
            return Set.of();
        }
        return Set.of(matcher.group(1).trim().split("\\s+"));
    }

    /** {@link #judge} for this JVM, decided on first use. */
    static Availability onThisMachine() {
        return Decided.HERE;
    }

    private static final class Decided {
        static final Availability HERE = judge(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                cpuinfo(), PkuSupport::probeKey);

        private static String cpuinfo() {
            try {
                return Files.readString(Path.of("/proc/cpuinfo"));
            } catch (IOException | SecurityException e) {
                return null;
            }
        }
    }

    private static Optional<String> probeKey() {
        try {
            Optional<String> missing = PkeyCalls.missingSymbol();
            if (missing.isPresent()) {
                return Optional.of("the C library has no " + missing.get() + " (glibc 2.27 or later has it)");
            }
            int key = PkeyCalls.pkeyAlloc(PkeyCalls.PKEY_DISABLE_ACCESS);
            PkeyCalls.pkeyFree(key);
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(e.getMessage());
        }
    }
}
