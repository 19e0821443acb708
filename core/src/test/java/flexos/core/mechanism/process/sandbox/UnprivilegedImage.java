package flexos.core.mechanism.process.sandbox;

import flexos.core.image.Image;
import flexos.core.mechanism.process.sandbox.ConfinedLibraries.Confined;
import flexos.core.mechanism.process.sandbox.ConfinedLibraries.LeftConfined;
import flexos.core.mechanism.process.sandbox.ConfinedLibraries.RightConfined;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image of {@link SandboxAsUnprivilegedUserTest}: started as root, it first becomes the unprivileged uid and gid
 * {@code args[0]} (through the sandbox's own {@link Identity}, for every thread), then starts the sandbox test image,
 * whose compartments therefore keep that uid, and prints one {@code check NAME OUTCOME} line per attempt.
 */
public final class UnprivilegedImage {

    public static void main(String[] args) throws Exception {
        Identity.become(Integer.parseInt(args[0]));
        System.out.println("check image-root " + Sandbox.root());
        Image image = ConfinedLibraries.start(true);
        try {
            Confined left = image.gateSeenBy("confiner", LeftConfined.class);
            Confined right = image.gateSeenBy("confiner", RightConfined.class);
            long imagePid = ProcessHandle.current().pid();
            print("same-uid", String.valueOf(left.uid() == right.uid() && left.uid() == Long.parseLong(args[0])));
            print("exec", left.exec());
            print("ptrace-image", left.ptrace(imagePid));
            print("ptrace-sibling", left.ptrace(right.pid()));
            print("vm-read-image", left.readMemoryOf(imagePid));
            print("vm-read-sibling", left.readMemoryOf(right.pid()));
            print("mem-image", left.open("/proc/" + imagePid + "/mem", false));
            print("mem-sibling", left.open("/proc/" + right.pid() + "/mem", false));
            List<String> fds;
            try (Stream<Path> links = Files.list(Path.of("/proc/self/fd"))) {
                fds = links.map(p -> p.getFileName().toString()).toList();
            }
            for (String fd : fds) {
                String outcome = left.open("/proc/" + imagePid + "/fd/" + fd, false);
                if (!outcome.startsWith("refused")) {
                    print("fd-image", outcome);
                }
            }
            print("fd-image", "refused: every one of the image's " + fds.size() + " descriptors");
            print("signal-image", left.signal(imagePid));
            print("signal-sibling", left.signal(right.pid()));
            print("signal-group", left.signal(0));
            print("attach-image", left.attach(imagePid));
            print("attach-sibling", left.attach(right.pid()));
            print("file-outside", left.open("/etc/passwd", false));
            print("file-granted-other", right.open(Path.of("target/sandbox-grant/granted.txt").toAbsolutePath()
                    .toString(), false));
            print("listen-undeclared", right.listen());
            print("control-signal-self", left.signal(left.pid()));
            print("control-granted", left.open(Path.of("target/sandbox-grant/granted.txt").toAbsolutePath()
                    .toString(), false));
            print("control-listen", left.listen());
        } finally {
            image.close();
        }
        System.out.println("done");
    }

    private static void print(String name, String outcome) {
        System.out.println("check " + name + " " + outcome.replace('\n', ' '));
    }

    private UnprivilegedImage() {
    }
}
