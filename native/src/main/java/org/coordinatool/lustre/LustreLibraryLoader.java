package org.coordinatool.lustre;

import com.kenai.jffi.Library;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds liblustreapi and binds {@link LustreApi} to it. Names without a slash go through the
 * dynamic loader's normal search (LD_LIBRARY_PATH, ld.so.cache, system directories), exactly as a
 * C program linked against the library would find it; a path is opened as is. A library is only
 * accepted if it exports every function of {@link LustreApi}, so a wrong or outdated library is
 * reported at start-up rather than at the first call.
 */
public final class LustreLibraryLoader {

    /** The runtime soname first, then the development symlink. */
    public static final List<String> DEFAULT_NAMES = List.of("liblustreapi.so.1", System.mapLibraryName("lustreapi"));

    private LustreLibraryLoader() {
    }

    /** Loads the library by its default names. */
    public static LustreApi load() {
        return load(DEFAULT_NAMES);
    }

    /** Loads the library from an explicit path or name (configuration key {@code lustreapi_library}). */
    public static LustreApi load(String pathOrName) {
        return load(List.of(pathOrName));
    }

    /** Loads the first candidate that opens and exports every required function. */
    public static LustreApi load(List<String> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no liblustreapi candidate given");
        }
        List<String> attempts = new ArrayList<>();
        for (String name : candidates) {
            Objects.requireNonNull(name, "library name");
            Library lib = Library.getCachedInstance(name, Library.LAZY | Library.GLOBAL);
            if (lib == null) {
                attempts.add(name + ": " + Library.getLastError());
                continue;
            }
            List<String> missing = missingSymbols(lib);
            if (!missing.isEmpty()) {
                attempts.add(name + ": does not export " + String.join(", ", missing));
                continue;
            }
            try {
                return LibraryLoader.create(LustreApi.class)
                        .option(LibraryOption.LoadNow, Boolean.TRUE)
                        .failImmediately()
                        .load(name);
            } catch (LinkageError e) {
                attempts.add(name + ": " + e.getMessage());
            }
        }
        throw new LustreLibraryException("cannot load liblustreapi (LD_LIBRARY_PATH="
                + Objects.requireNonNullElse(System.getenv("LD_LIBRARY_PATH"), "") + "); tried:\n  "
                + String.join("\n  ", attempts), attempts);
    }

    /** The C functions {@link LustreApi} binds. */
    static List<String> requiredSymbols() {
        List<String> names = new ArrayList<>();
        for (Method m : LustreApi.class.getMethods()) {
            names.add(m.getName());
        }
        names.sort(null);
        return names;
    }

    private static List<String> missingSymbols(Library lib) {
        List<String> missing = new ArrayList<>();
        for (String symbol : requiredSymbols()) {
            if (lib.getSymbolAddress(symbol) == 0) {
                missing.add(symbol);
            }
        }
        return missing;
    }
}
