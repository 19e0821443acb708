package flexos.vfs.api;

/** The {@link FileSystem} error codes in words, for messages. */
public final class FileErrors {

    private FileErrors() {
    }

    /**
     * What a negative code returned by {@link FileSystem} means, in the words of {@code strerror} where there is
     * one; {@code "unknown error N"} for any other value.
     */
    public static String describe(long code) {
        return switch ((int) Math.max(Integer.MIN_VALUE, Math.min(0, code))) {
            case FileSystem.NOT_FOUND -> "No such file or directory";
            case FileSystem.IO_ERROR -> "Input/output error";
            case FileSystem.DENIED -> "Permission denied";
            case FileSystem.BUSY -> "Device or resource busy (the file system is mounted already)";
            case FileSystem.EXISTS -> "File exists";
            case FileSystem.NOT_DIRECTORY -> "Not a directory";
            case FileSystem.IS_DIRECTORY -> "Is a directory";
            case FileSystem.INVALID_PATH -> "Invalid argument (a malformed path)";
            case FileSystem.TOO_MANY_OPEN -> "Too many open files";
            case FileSystem.NO_SPACE -> "No space left on device";
            case FileSystem.NOT_EMPTY -> "Directory not empty";
            case FileSystem.OUTSIDE_ROOT -> "The path leaves the file system's root ('..' or a symbolic link)";
            default -> "unknown error " + code;
        };
    }
}
