package flexos.explore.store;

/**
 * The machine a measurement ran on.
 *
 * @param hostname its host name
 * @param cores    the processors available to the JVM
 */
public record Machine(String hostname, int cores) {

    /** This machine. */
    public static Machine current() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
        return new Machine(host, Runtime.getRuntime().availableProcessors());
    }
}
