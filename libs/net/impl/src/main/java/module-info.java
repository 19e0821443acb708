/** The {@code net} library's implementation. It exports nothing: other libraries reach it only through gates. */
module flexos.net {
    requires flexos.net.api;
    provides flexos.core.component.Library with flexos.net.impl.NetLibrary;
}
