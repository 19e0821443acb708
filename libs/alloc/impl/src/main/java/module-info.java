/** The {@code alloc} library's implementation. It exports nothing: other libraries reach it only through gates. */
module flexos.alloc {
    requires flexos.alloc.api;
    provides flexos.core.component.Library with flexos.alloc.impl.AllocLibrary;
}
