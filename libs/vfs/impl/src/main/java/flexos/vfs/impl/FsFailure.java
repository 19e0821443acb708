package flexos.vfs.impl;

/**
 * An ordinary failure inside a backend, carrying the {@link flexos.vfs.api.FileSystem} code the caller gets. It never
 * crosses the API: {@link MountedFileSystem} turns it into the return value. No stack trace: it is an answer.
 */
final class FsFailure extends Exception {

    final int code;

    FsFailure(int code) {
        super(null, null, false, false);
        this.code = code;
    }
}
