package flexos.vfs.api;

import java.lang.foreign.MemorySegment;

/**
 * A small POSIX-like file system, in the role of Unikraft's {@code vfscore}: files and directories under one root,
 * reached by path, and open files and directory listings reached by handle. What backs it is chosen once, by
 * {@link #mount}: a directory of the host, or memory.
 *
 * <p><b>Paths</b> are {@code /}-separated and always relative to the root: {@code "/a/b"}, {@code "a/b"} and
 * {@code "a//./b"} name the same file, and {@code ""} or {@code "/"} names the root. A path never leaves the root: a
 * {@code ..} component, and on the host backend any symbolic link met on the way, is refused with
 * {@link #OUTSIDE_ROOT}, never followed. A path may not contain NUL, is at most {@value #MAX_PATH_BYTES} bytes of
 * UTF-8, and each component at most {@value #MAX_NAME_BYTES}; otherwise it is {@link #INVALID_PATH}.
 *
 * <p><b>Failure is a value.</b> The ordinary outcomes of file operations (no such file, it exists already, no space
 * left, an I/O error of the host) are returned as the negative codes below, in the manner of {@code errno};
 * {@link FileErrors#describe} says one in words. Only misuse throws {@link VfsException}: a call before
 * {@link #mount}, an unknown or closed handle, a handle of the wrong kind (reading a listing), writing a handle opened
 * for reading only, unknown flag bits, a buffer range outside its segment ({@link IndexOutOfBoundsException}).
 *
 * <p><b>Handles</b> are small non-negative integers, reused after {@link #close} as file descriptors are. At most
 * {@value #MAX_HANDLES} are open at once ({@link #TOO_MANY_OPEN} beyond). Each open file has its own position:
 * {@link #read} and {@link #write} move it, {@link #APPEND} writes at the end whatever it is.
 *
 * <p><b>Durability.</b> Written bytes are durable on the host backend after {@link #fsync} of the file; a created,
 * renamed or removed name after {@link #syncDirectory} of its directory. {@link #rename} replaces its target
 * atomically: a reader sees the old file or the new one, never a mix, also after a crash. The memory backend keeps
 * everything until the file system is closed with its library; its {@code fsync} and {@code syncDirectory} succeed
 * at once.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; calls on different handles proceed independently.
 * Two threads using one handle at once see their reads and writes in some order, each one whole.
 */
public interface FileSystem {

    /** {@link #open} flag: the handle may {@link #read}. */
    int READ = 1;
    /** {@link #open} flag: the handle may {@link #write}. */
    int WRITE = 2;
    /** {@link #open} flag: create the file when it does not exist (its directory must). */
    int CREATE = 4;
    /** {@link #open} flag: empty the file first (with {@link #WRITE}). */
    int TRUNCATE = 8;
    /** {@link #open} flag: with {@link #CREATE}, fail with {@link #EXISTS} if the file exists. */
    int EXCLUSIVE = 16;
    /** {@link #open} flag: every write goes to the end of the file (with {@link #WRITE}). */
    int APPEND = 32;

    /** {@link #kind} of a regular file. */
    int FILE = 1;
    /** {@link #kind} of a directory. */
    int DIRECTORY = 2;

    /** No file or directory of that name, or a directory on the way is missing. */
    int NOT_FOUND = -2;
    /** The host reported an I/O error. */
    int IO_ERROR = -5;
    /** The host refused access (permissions), or the name is neither a file nor a directory (a device, a pipe). */
    int DENIED = -13;
    /** {@link #mount} was called already: the root is chosen once. */
    int BUSY = -16;
    /** The name exists already ({@link #EXCLUSIVE}, {@link #mkdir}). */
    int EXISTS = -17;
    /** A component of the path on the way is a file, or {@link #list} was given a file. */
    int NOT_DIRECTORY = -20;
    /** The operation needs a file and the path names a directory. */
    int IS_DIRECTORY = -21;
    /** The path is malformed: NUL, too long, or a component too long; or a mount source is unknown. */
    int INVALID_PATH = -22;
    /** {@value #MAX_HANDLES} handles are open already. */
    int TOO_MANY_OPEN = -24;
    /** The device is full (or the memory backend's limit is reached). */
    int NO_SPACE = -28;
    /** The directory to remove is not empty. */
    int NOT_EMPTY = -39;
    /** The path leaves the root: a {@code ..} component, or a symbolic link on the host. */
    int OUTSIDE_ROOT = -40;

    /** Longest path, in bytes of UTF-8. */
    int MAX_PATH_BYTES = 4096;
    /** Longest component of a path, in bytes of UTF-8. */
    int MAX_NAME_BYTES = 255;
    /** Most handles (files and listings) open at once. */
    int MAX_HANDLES = 1024;

    /**
     * Chooses what backs the file system, once: {@code "memory:"} for files kept in memory, or {@code "host:DIR"} for
     * the host directory {@code DIR} (absolute, or relative to the working directory), which must exist. The root is
     * the directory's real path at this moment; nothing outside it is ever reached.
     *
     * @return 0, or {@link #BUSY} if mounted already (the root stays), {@link #INVALID_PATH} for an unknown kind of
     *         source, {@link #NOT_FOUND} / {@link #NOT_DIRECTORY} / {@link #DENIED} for an unusable host directory
     */
    int mount(String source);

    /** What {@link #mount} chose: {@code "memory:"} or {@code "host:"} with the root's real path; null before. */
    String mounted();

    /**
     * Opens a file. {@code flags} is {@link #READ} and/or {@link #WRITE}, plus any of {@link #CREATE},
     * {@link #TRUNCATE}, {@link #EXCLUSIVE}, {@link #APPEND}. The position starts at 0.
     *
     * @return a handle, or {@link #NOT_FOUND}, {@link #EXISTS}, {@link #IS_DIRECTORY}, {@link #NOT_DIRECTORY},
     *         {@link #OUTSIDE_ROOT}, {@link #INVALID_PATH}, {@link #DENIED}, {@link #TOO_MANY_OPEN},
     *         {@link #IO_ERROR}
     * @throws VfsException if not mounted, or the flags name neither READ nor WRITE or have unknown bits
     */
    int open(String path, int flags);

    /**
     * Reads up to {@code length} bytes at the handle's position into {@code buffer[offset...]}.
     *
     * @return the count read (at least 1 unless {@code length} is 0), 0 at the end of the file, or {@link #IO_ERROR}
     * @throws VfsException if the handle is not a file open for {@link #READ}
     */
    int read(int handle, MemorySegment buffer, long offset, int length);

    /**
     * Writes all {@code length} bytes of {@code buffer[offset...]} at the handle's position (at the end with
     * {@link #APPEND}).
     *
     * @return {@code length}, or {@link #NO_SPACE} or {@link #IO_ERROR}; after an error some of the bytes may
     *         have been written
     * @throws VfsException if the handle is not a file open for {@link #WRITE}
     */
    int write(int handle, MemorySegment buffer, long offset, int length);

    /**
     * Makes the file's written bytes durable (POSIX {@code fsync}).
     *
     * @return 0, or {@link #IO_ERROR} (the bytes may be lost)
     * @throws VfsException if the handle is not an open file
     */
    int fsync(int handle);

    /**
     * Closes a file or listing handle; its number may be handed out again.
     *
     * @return 0, or {@link #IO_ERROR} if the host reported one while closing (the handle is closed anyway)
     * @throws VfsException if the handle is not open
     */
    int close(int handle);

    /** The size in bytes of the file at {@code path}, or an error code as for {@link #open} ({@link #IS_DIRECTORY}...). */
    long size(String path);

    /** {@link #FILE} or {@link #DIRECTORY}, or {@link #NOT_FOUND}, {@link #OUTSIDE_ROOT}, {@link #DENIED}... */
    int kind(String path);

    /** Creates a directory whose parent exists: 0, or {@link #EXISTS}, {@link #NOT_FOUND}, {@link #OUTSIDE_ROOT}... */
    int mkdir(String path);

    /**
     * Renames a file or directory, atomically replacing a file at {@code to} (POSIX {@code rename}).
     *
     * @return 0, or {@link #NOT_FOUND}, {@link #IS_DIRECTORY} (a file onto a directory), {@link #NOT_EMPTY},
     *         {@link #OUTSIDE_ROOT}, {@link #INVALID_PATH} (the root itself), {@link #IO_ERROR}...
     */
    int rename(String from, String to);

    /** Removes a file: 0, or {@link #NOT_FOUND}, {@link #IS_DIRECTORY}, {@link #OUTSIDE_ROOT}... Open handles keep reading it. */
    int unlink(String path);

    /** Removes an empty directory: 0, or {@link #NOT_EMPTY}, {@link #NOT_DIRECTORY}, {@link #NOT_FOUND}... */
    int rmdir(String path);

    /**
     * Makes the names in a directory durable: what was created, renamed or removed in it (POSIX {@code fsync} of the
     * directory).
     *
     * @return 0, or {@link #NOT_FOUND}, {@link #NOT_DIRECTORY}, {@link #IO_ERROR}...
     */
    int syncDirectory(String path);

    /**
     * Opens a listing of a directory's names, in byte order of their UTF-8, read with {@link #nextName} and closed
     * with {@link #close}. The listing is taken now: later changes to the directory do not show in it.
     *
     * @return a handle, or {@link #NOT_FOUND}, {@link #NOT_DIRECTORY}, {@link #OUTSIDE_ROOT}, {@link #TOO_MANY_OPEN}...
     */
    int list(String directory);

    /**
     * The next name of a listing ({@code "."} and {@code ".."} are never listed), or null after the last.
     *
     * @throws VfsException if the handle is not an open listing
     */
    String nextName(int listing);
}
