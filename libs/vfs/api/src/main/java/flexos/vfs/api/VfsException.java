package flexos.vfs.api;

/**
 * The {@link FileSystem} was misused: called before it was mounted, given an unknown or closed handle, a handle of
 * the wrong kind or mode, or unknown flags. Ordinary failures of file operations are return codes, not this.
 */
public final class VfsException extends RuntimeException {

    public VfsException(String message) {
        super(message);
    }

    public VfsException(String message, Throwable cause) {
        super(message, cause);
    }
}
