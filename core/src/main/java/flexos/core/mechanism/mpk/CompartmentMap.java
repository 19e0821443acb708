package flexos.core.mechanism.mpk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a crash report needs to name compartments, kept in a file beside it while mpk images run:
 * {@code <java.io.tmpdir>/flexos-mpk-<pid>.map}, one line per mapped heap and per library instance. A
 * protection-key fault kills the JVM before Java code can say anything, so the JVM that reads the crash report
 * afterwards ({@link PkeyFaultReport}) reads this file to learn which heap an address was in and which compartment
 * the faulting code belongs to.
 *
 * <p>Lines are tab-separated: {@code heap IMAGE COMPARTMENT KEY BASE BYTES} (base in hex) and
 * {@code library IMAGE COMPARTMENT LIBRARY CLASS MODULE}. The file is rewritten whole on every change and removed
 * when the JVM's last mpk heap is unmapped, or when the JVM exits without unmapping it (an image that was never
 * closed); after a crash it stays, for the reader to remove: a JVM that crashes runs no exit hooks.
 */
final class CompartmentMap {

    /** A library instance placed in an mpk compartment. */
    record Placed(String image, String compartment, String library, String className, String module) {
    }

    private static final List<Placed> LIBRARIES = new CopyOnWriteArrayList<>();
    private static boolean removedOnExit;

    private CompartmentMap() {
    }

    /** The map file of the JVM whose process id is {@code pid}. */
    static Path fileOf(long pid) {
        return Path.of(System.getProperty("java.io.tmpdir"), "flexos-mpk-" + pid + ".map");
    }

    static void placed(Placed library) {
        LIBRARIES.add(library);
        write();
    }

    /** Forgets the libraries of {@code compartment} of {@code image}, whose domain closed. */
    static void closed(String image, String compartment) {
        LIBRARIES.removeIf(p -> p.image().equals(image) && p.compartment().equals(compartment));
        write();
    }

    /** Rewrites the file from the heaps mapped now and the libraries placed; removes it when no heap is left. */
    static synchronized void write() {
        Path file = fileOf(ProcessHandle.current().pid());
        List<ProtectedHeap.Tagged> heaps = ProtectedHeap.all();
        try {
            if (heaps.isEmpty()) {
                LIBRARIES.clear();
                Files.deleteIfExists(file);
                return;
            }
            List<String> lines = new ArrayList<>();
            for (ProtectedHeap.Tagged heap : heaps) {
                lines.add(String.join("\t", "heap", heap.image(), heap.compartment(), Integer.toString(heap.key()),
                        HexFormat.of().toHexDigits(heap.base()), Long.toString(heap.bytes())));
            }
            for (Placed p : LIBRARIES) {
                lines.add(String.join("\t", "library", p.image(), p.compartment(), p.library(), p.className(),
                        p.module()));
            }
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, lines);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (!removedOnExit) {
                file.toFile().deleteOnExit();
                removedOnExit = true;
            }
        } catch (IOException e) {
            // Only a crash report's wording depends on this file: it then names addresses instead of compartments.
        }
    }

    /** The heaps and libraries a map file lists; empty lists if it cannot be read. */
    record Contents(List<ProtectedHeap.Tagged> heaps, List<Placed> libraries) {

        static Contents read(Path file) {
            List<ProtectedHeap.Tagged> heaps = new ArrayList<>();
            List<Placed> libraries = new ArrayList<>();
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                return new Contents(List.of(), List.of());
            }
            for (String line : lines) {
                String[] f = line.split("\t", -1);
                try {
                    if (f[0].equals("heap") && f.length == 6) {
                        heaps.add(new ProtectedHeap.Tagged(f[1], f[2], Integer.parseInt(f[3]),
                                HexFormat.fromHexDigitsToLong(f[4]), Long.parseLong(f[5])));
                    } else if (f[0].equals("library") && f.length == 6) {
                        libraries.add(new Placed(f[1], f[2], f[3], f[4], f[5]));
                    }
                } catch (NumberFormatException e) {
                    // A line that does not parse names nothing.
                }
            }
            return new Contents(heaps, libraries);
        }

        Optional<ProtectedHeap.Tagged> heapHolding(long address) {
            return heaps.stream().filter(h -> h.contains(address)).findFirst();
        }
    }
}
