package flexos.attacks.hostile.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes a hostile library can aim at, found as an attacker who read the harness and the mechanism would find
 * them: under the {@code process} mechanism it runs in a compartment process (its command line names
 * {@code CompartmentProcess}), the image is its parent and the other compartments, the vault's among them, are its
 * siblings (the image's other children, found by reading {@code /proc/<pid>/stat}, which every user may read).
 * Under an in-process mechanism the image is its own process and it has no siblings, so every attack then turns on
 * its own process, where the vault's memory is.
 */
final class Neighbours {

    private Neighbours() {
    }

    /** Whether this code runs in a compartment process of the {@code process} mechanism. */
    static boolean inCompartmentProcess() {
        return ProcessHandle.current().info().commandLine().map(c -> c.contains("CompartmentProcess")).orElse(false);
    }

    /** The image's pid: the parent of a compartment process, else this process. */
    static long image() {
        if (!inCompartmentProcess()) {
            return ProcessHandle.current().pid();
        }
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** The image's children other than this process; empty in-process. */
    static List<Long> siblings() {
        if (!inCompartmentProcess()) {
            return List.of();
        }
        long image = image();
        long self = ProcessHandle.current().pid();
        List<Long> found = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> listed = Files.list(Path.of("/proc"))) {
            entries = listed.toList();
        } catch (IOException | RuntimeException e) {
            return found;
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.isEmpty() || !name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                continue;
            }
            try {
                String stat = Files.readString(entry.resolve("stat"));
                // The command name may hold spaces and parentheses: the fields after it follow the last ')'.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(fields[1]) == image) {
                    found.add(Long.parseLong(name));
                }
            } catch (IOException | RuntimeException e) {
                // Gone, or not readable: not found.
            }
        }
        return found;
    }

    /** At most this many pids are guessed: the compartments start one after another, close to the image. */
    static final int MAX_GUESSES = 4096;

    /**
     * The siblings, or, when {@code /proc} cannot be listed (a Landlock rule), every pid that may be one: those
     * started after the image, up to {@link #MAX_GUESSES} of them around this process (their threads' ids too,
     * whose {@code /proc} entries and memory are their process's). Only for what does no harm to a process that
     * turns out not to be a sibling: reading.
     */
    static List<Long> siblingsOrGuesses() {
        List<Long> found = siblings();
        if (!found.isEmpty() || !inCompartmentProcess()) {
            return found;
        }
        long image = image();
        long self = ProcessHandle.current().pid();
        long from = Math.max(image + 1, self - MAX_GUESSES / 2);
        for (long pid = from; pid < from + MAX_GUESSES; pid++) {
            if (pid != self && pid != image) {
                found.add(pid);
            }
        }
        return found;
    }

    /**
     * The processes that hold compartments other than this one's: the siblings and the image in a compartment
     * process, this process in-process.
     */
    static List<Long> others() {
        if (!inCompartmentProcess()) {
            return List.of(ProcessHandle.current().pid());
        }
        List<Long> others = new ArrayList<>(siblings());
        others.add(image());
        return others;
    }

    /**
     * The name of this process's compartment: the one RPC region it maps ({@code memfd:flexos-<name>-rpc} in
     * {@code /proc/self/maps}), else the argument after the main class (the JDK may not report a long command
     * line's arguments); empty in-process.
     */
    static String ownCompartment() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int at = line.indexOf("memfd:flexos-");
                int end = line.lastIndexOf("-rpc");
                if (at >= 0 && end > at) {
                    return line.substring(at + "memfd:flexos-".length(), end);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not readable: the command line then.
        }
        String[] arguments = ProcessHandle.current().info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].endsWith("CompartmentProcess")) {
                return arguments[i + 1];
            }
        }
        return "";
    }
}
