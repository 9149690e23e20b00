/**
 * Binding to liblustreapi through jnr-ffi: {@link org.coordinatool.lustre.LustreApi} mirrors the C
 * prototypes, {@link org.coordinatool.lustre.LustreLibraryLoader} finds the library, and
 * {@link org.coordinatool.lustre.Lustre}, {@link org.coordinatool.lustre.Copytool} and
 * {@link org.coordinatool.lustre.CopyAction} wrap it without pointers or return codes.
 */
package org.coordinatool.lustre;
