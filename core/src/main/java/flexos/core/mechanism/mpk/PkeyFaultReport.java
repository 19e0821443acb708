package flexos.core.mechanism.mpk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A protection-key fault, read from the crash report ({@code hs_err} file) of a JVM that it stopped.
 *
 * <p>When code touches a page whose key its thread's PKRU denies, the CPU raises a page fault with the PK bit, and
 * Linux delivers {@code SIGSEGV} with {@code si_code SEGV_PKUERR} (4). HotSpot cannot resume there (it recovers
 * only from faults it planned: implicit null checks, safepoint polls, and {@code SIGBUS} on truncated mappings),
 * so it writes the report and aborts. This class reads back, from the report: the faulting address and whether it
 * was a read or a write (bit 1 of the page-fault error code, {@code ERR=}), and the faulting thread's Java frames;
 * from the JVM's {@link CompartmentMap} file: whose heap the address is in, and which library the innermost frame
 * of a placed library belongs to.
 *
 * @param report     the crash report read
 * @param pid        the process id of the JVM that stopped
 * @param address    the address touched
 * @param write      whether it was a write (else a read)
 * @param heap       the mpk heap holding the address, if the map file names one
 * @param toucher    the libraries the innermost frame of placed library code belongs to (more than one only for a
 *                   library with an instance per compartment); empty if no frame is library code
 * @param frame      that frame, or the innermost Java frame outside the JDK if none is library code, or empty
 */
public record PkeyFaultReport(Path report, long pid, long address, boolean write, Optional<Heap> heap,
                              List<Library> toucher, String frame) {

    /** An mpk heap: its image, compartment, protection key and first address. */
    public record Heap(String image, String compartment, int key, long base) {
    }

    /** A library instance placed in an mpk compartment. */
    public record Library(String image, String compartment, String name) {
    }

    /** {@code si_code} of a protection-key fault. */
    static final int SEGV_PKUERR = 4;
    /** The write bit of the x86 page-fault error code. */
    private static final long PF_WRITE = 0x2;

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
    private static final Pattern SIGINFO = Pattern.compile(
            "siginfo: si_signo: 11 \\(SIGSEGV\\), si_code: (\\d+) \\([^)]*\\), si_addr: 0x([0-9a-fA-F]+)");
    private static final Pattern ERROR_CODE = Pattern.compile("\\bERR=0x([0-9a-fA-F]+)");
    private static final Pattern FRAME = Pattern.compile(
            "^[Jj]\\s+(?:\\d+\\s+)?(?:(?:c1|c2|jvmci)\\s+)?([\\w$.+]+)\\.([\\w$<>]+)\\(\\S*(?:\\s+(\\S+)@\\S+)?");

    /**
     * The protection-key fault that {@code report} records, or empty if it records another crash (or cannot be
     * read). Reads the map file of the crashed JVM from {@code java.io.tmpdir}.
     */
    public static Optional<PkeyFaultReport> read(Path report) {
        String text;
        try {
            text = Files.readString(report);
        } catch (IOException e) {
            return Optional.empty();
        }
        Matcher pid = PID.matcher(text);
        if (!pid.find()) {
            return Optional.empty();
        }
        long jvm = Long.parseLong(pid.group(1));
        return parse(report, text, CompartmentMap.Contents.read(CompartmentMap.fileOf(jvm)));
    }

    /**
     * Removes the compartment map the JVM of this report left behind: it stopped (or is stopping, when its
     * {@code -XX:OnError} command reads the report) and will not write it again.
     */
    public void discardMap() {
        try {
            Files.deleteIfExists(CompartmentMap.fileOf(pid));
        } catch (IOException e) {
            // A file left in the temporary directory is harmless.
        }
    }

    /** {@link #read}, from the report's text and an already read map. */
    static Optional<PkeyFaultReport> parse(Path report, String text, CompartmentMap.Contents map) {
        Matcher pid = PID.matcher(text);
        Matcher siginfo = SIGINFO.matcher(text);
        if (!pid.find() || !siginfo.find() || Integer.parseInt(siginfo.group(1)) != SEGV_PKUERR) {
            return Optional.empty();
        }
        long address = HexFormat.fromHexDigitsToLong(siginfo.group(2));
        Matcher error = ERROR_CODE.matcher(text);
        boolean write = error.find() && (HexFormat.fromHexDigitsToLong(error.group(1)) & PF_WRITE) != 0;
        List<String[]> frames = javaFrames(text);
        List<Library> toucher = List.of();
        String frame = frames.stream().filter(f -> !f[0].startsWith("java.") && !f[0].startsWith("jdk.")
                && !f[0].startsWith("sun.")).findFirst().map(f -> f[0] + "." + f[2]).orElse("");
        for (String[] f : frames) {
            List<CompartmentMap.Placed> owners = ownersOf(f[0], f[1], map.libraries());
            if (!owners.isEmpty()) {
                toucher = owners.stream().map(o -> new Library(o.image(), o.compartment(), o.library())).toList();
                frame = f[0] + "." + f[2];
                break;
            }
        }
        Optional<Heap> heap = map.heapHolding(address)
                .map(h -> new Heap(h.image(), h.compartment(), h.key(), h.base()));
        return Optional.of(new PkeyFaultReport(report, Long.parseLong(pid.group(1)), address, write, heap, toucher,
                frame));
    }

    /** The crashing thread's Java frames, innermost first, as {class, module, method}. */
    private static List<String[]> javaFrames(String text) {
        int start = text.indexOf("Java frames:");
        if (start < 0) {
            start = text.indexOf("Native frames:");
        }
        List<String[]> frames = new ArrayList<>();
        if (start < 0) {
            return frames;
        }
        for (String line : text.substring(start).lines().skip(1).toList()) {
            if (line.isBlank()) {
                break;
            }
            Matcher m = FRAME.matcher(line);
            if (m.find()) {
                String type = m.group(1);
                int hidden = type.indexOf('+');
                frames.add(new String[] {hidden < 0 ? type : type.substring(0, hidden),
                    m.group(3) == null ? "" : m.group(3), m.group(2)});
            }
        }
        return frames;
    }

    /**
     * The placed libraries a frame of class {@code type} in module {@code module} is code of: the libraries whose
     * class it is (or is nested in), else, if the module holds exactly one library (of one name), that library.
     */
    private static List<CompartmentMap.Placed> ownersOf(String type, String module,
                                                       List<CompartmentMap.Placed> libraries) {
        List<CompartmentMap.Placed> byClass = libraries.stream()
                .filter(p -> type.equals(p.className()) || type.startsWith(p.className() + "$")).toList();
        if (!byClass.isEmpty()) {
            return byClass;
        }
        List<CompartmentMap.Placed> byModule = libraries.stream()
                .filter(p -> !module.isEmpty() && module.equals(p.module())).toList();
        return byModule.stream().map(CompartmentMap.Placed::library).distinct().count() == 1 ? byModule : List.of();
    }

    /** The compartments of {@link #toucher}, in order, without repeats. */
    public List<String> toucherCompartments() {
        return toucher.stream().map(Library::compartment).distinct().toList();
    }

    /** The compartment whose heap was touched, if known. */
    public Optional<String> heapCompartment() {
        return heap.map(Heap::compartment);
    }

    /** One paragraph for the user: who touched whose memory, and that the image stopped. */
    public String explain() {
        String who;
        if (toucher.isEmpty()) {
            who = "code that is no library's" + (frame.isEmpty() ? "" : " (" + frame + ")");
        } else {
            String library = toucher.getFirst().name();
            List<String> compartments = toucherCompartments();
            who = "library " + library + " (" + (compartments.size() == 1 ? "compartment " + compartments.getFirst()
                    : "an instance in one of compartments " + String.join(", ", compartments)) + ", in " + frame + ")";
        }
        String where = heap.map(h -> "the private heap of mpk compartment " + h.compartment() + " of image "
                        + h.image() + " (protection key " + h.key() + ", offset " + (address - h.base()) + ")")
                .orElse("memory of no mpk heap this JVM listed");
        String self = heap.isPresent() && toucherCompartments().equals(List.of(heap.get().compartment()))
                ? " Its own compartment's heap: the thread was not in its compartment's rights, which is a FlexOS bug."
                : "";
        return "protection-key fault: " + who + " " + (write ? "wrote" : "read") + " address 0x"
                + HexFormat.of().toHexDigits(address) + " in " + where + ", which its thread's rights deny"
                + " (SIGSEGV, SEGV_PKUERR). The CPU refused the access; the JVM cannot resume after such a fault,"
                + " so the image stopped." + self + " Crash report: " + report;
    }
}
