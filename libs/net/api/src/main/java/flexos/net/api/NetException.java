package flexos.net.api;

/** A socket could not be set up (the port is taken, the address is wrong), or the API was misused. */
public final class NetException extends RuntimeException {

    public NetException(String message) {
        super(message);
    }

    public NetException(String message, Throwable cause) {
        super(message, cause);
    }
}
