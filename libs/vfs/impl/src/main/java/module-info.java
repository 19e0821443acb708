/** The {@code vfs} library's implementation. It exports nothing: other libraries reach it only through gates. */
module flexos.vfs {
    requires flexos.vfs.api;
    provides flexos.core.component.Library with flexos.vfs.impl.VfsLibrary;
}
