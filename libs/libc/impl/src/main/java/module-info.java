/** The {@code libc} library's implementation. It exports nothing: other libraries reach it only through gates. */
module flexos.libc {
    requires flexos.libc.api;
    provides flexos.core.component.Library with flexos.libc.impl.LibcLibrary;
}
