package flexos.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Slurm cluster on this machine for a test: munged, slurmctld and slurmd from Debian's
 * {@code munge} and {@code slurm-wlm}, each in the foreground as a child process with everything (key, sockets,
 * state, spool, logs, slurm.conf) in one temporary directory and the daemons on free ports, so that nothing of the
 * machine's own Slurm or munge is used. {@link #close} stops each daemon by its process handle.
 */
final class LocalSlurm implements AutoCloseable {

    static final String PARTITION = "flexos";

    private final Path dir;
    private final List<Process> daemons = new ArrayList<>();

    /** Whether this machine can run one: the daemons are installed and this is root (slurmd needs it). */
    static String unavailable() {
        for (String tool : List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch",
                "/usr/bin/squeue", "/usr/bin/sinfo")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is missing: the Slurm test needs Debian's slurm-wlm and munge (./run-tests installs "
                        + "them)";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the Slurm test starts slurmd, which runs jobs as their users and needs root";
        }
        return null;
    }

    LocalSlurm(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("spool"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] key = new byte[1024];
        new SecureRandom().nextBytes(key);
        Path keyFile = dir.resolve("munge.key");
        Files.write(keyFile, key);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--------"));
        String host = InetAddress.getLocalHost().getHostName();
        Files.writeString(conf(), String.join("\n",
                "ClusterName=flexostest",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + dir.resolve("munge.sock"),
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("slurmd.log"),
                "SlurmUser=root",
                "SlurmdUser=root",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "SchedulerType=sched/backfill",
                "ReturnToService=2",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "MpiDefault=none",
                "NodeName=flexostest NodeHostname=" + host + " NodeAddr=127.0.0.1 CPUs="
                        + Runtime.getRuntime().availableProcessors() + " State=UNKNOWN",
                "PartitionName=" + PARTITION + " Nodes=flexostest Default=YES MaxTime=INFINITE State=UP", ""));
        try {
            start("munged", "/usr/sbin/munged", "-F", "-f", "--socket=" + dir.resolve("munge.sock"),
                    "--key-file=" + keyFile, "--pid-file=" + dir.resolve("munged.pid"),
                    "--log-file=" + dir.resolve("munged.log"), "--seed-file=" + dir.resolve("munged.seed"));
            awaitFile(dir.resolve("munge.sock"));
            start("slurmctld", "/usr/sbin/slurmctld", "-D", "-f", conf().toString());
            start("slurmd", "/usr/sbin/slurmd", "-D", "-f", conf().toString(), "-N", "flexostest");
            awaitIdle();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    Path conf() {
        return dir.resolve("slurm.conf");
    }

    /** The environment a Slurm command needs to reach this cluster. */
    Map<String, String> environment() {
        return Map.of("SLURM_CONF", conf().toString());
    }

    private void start(String name, String... command) throws IOException {
        daemons.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start());
        daemons.getLast().pid();
    }

    private void awaitFile(Path file) throws InterruptedException, IOException {
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        if (!Files.exists(file)) {
            throw new IOException(file + " did not appear within 10 s; munged said: " + log("munged.out"));
        }
    }

    private void awaitIdle() throws IOException, InterruptedException {
        String state = "";
        for (int i = 0; i < 60; i++) {
            ProcessBuilder builder = new ProcessBuilder("/usr/bin/sinfo", "-h", "-o", "%T").redirectErrorStream(true);
            builder.environment().putAll(environment());
            Process sinfo = builder.start();
            sinfo.getOutputStream().close();
            state = new String(sinfo.getInputStream().readAllBytes()).strip();
            sinfo.waitFor(10, TimeUnit.SECONDS);
            if (state.equals("idle")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IOException("the test cluster's node is not idle after 30 s (sinfo: " + state + "); slurmctld: "
                + log("slurmctld.log") + "; slurmd: " + log("slurmd.log"));
    }

    private String slurm(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment());
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    String log(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }

    /**
     * Cancels whatever jobs are left (their tasks, and the images they run, are stopped by Slurm and by each image's
     * watchdog), waits for them (bounded), then stops the daemons, slurmd first, each by its handle: politely,
     * then forcibly.
     */
    @Override
    public void close() {
        try {
            if (!daemons.isEmpty() && daemons.getFirst().isAlive()) {
                slurm("/usr/bin/scancel", "--user=root");
                for (int i = 0; i < 60 && !slurm("/usr/bin/squeue", "-h").isBlank(); i++) {
                    Thread.sleep(500);
                }
            }
        } catch (IOException | InterruptedException e) {
            // Stop the daemons all the same.
        }
        for (Process p : daemons.reversed()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
