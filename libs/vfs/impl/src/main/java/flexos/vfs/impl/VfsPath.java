package flexos.vfs.impl;

import flexos.vfs.api.FileSystem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked path inside a file system's root: its components, none empty, {@code "."} or {@code ".."}. Parsing is
 * where the rules of {@link FileSystem}'s paths are enforced, once, for every backend: {@code ".."} is
 * {@link FileSystem#OUTSIDE_ROOT} (refused, not resolved, so no spelling of a path can climb out), NUL and
 * over-long paths or names are {@link FileSystem#INVALID_PATH}.
 *
 * @param components the names from the root down; empty for the root itself
 */
record VfsPath(List<String> components) {

    static final VfsPath ROOT = new VfsPath(List.of());

    VfsPath {
        components = List.copyOf(components);
    }

    /** The checked form of {@code path}. */
    static VfsPath parse(String path) throws FsFailure {
        if (path == null) {
            throw new FsFailure(FileSystem.INVALID_PATH);
        }
        if (path.indexOf('\0') >= 0 || path.getBytes(StandardCharsets.UTF_8).length > FileSystem.MAX_PATH_BYTES) {
            throw new FsFailure(FileSystem.INVALID_PATH);
        }
        List<String> components = new ArrayList<>();
        for (String component : path.split("/", -1)) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                throw new FsFailure(FileSystem.OUTSIDE_ROOT);
            }
            if (component.getBytes(StandardCharsets.UTF_8).length > FileSystem.MAX_NAME_BYTES) {
                throw new FsFailure(FileSystem.INVALID_PATH);
            }
            components.add(component);
        }
        return components.isEmpty() ? ROOT : new VfsPath(components);
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    /** The last component. The root has none. */
    String name() {
        return components.getLast();
    }

    /** The directory holding this path; the root's parent is the root. */
    VfsPath parent() {
        return isRoot() ? this : new VfsPath(components.subList(0, components.size() - 1));
    }

    /** Whether {@code other} is this path or lies below it. */
    boolean contains(VfsPath other) {
        return other.components.size() >= components.size()
                && other.components.subList(0, components.size()).equals(components);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", components);
    }
}
