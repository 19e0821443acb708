package flexos.explore.store;

/** The results store could not be opened, read or written; the message names the database file. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
