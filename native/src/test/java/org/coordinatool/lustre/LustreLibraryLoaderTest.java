package org.coordinatool.lustre;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LustreLibraryLoaderTest {

    @Test
    void defaultNamesAreTheSonameThenTheDevelopmentLink() {
        assertEquals(List.of("liblustreapi.so.1", "liblustreapi.so"), LustreLibraryLoader.DEFAULT_NAMES);
    }

    @Test
    void missingLibrariesAreAllNamedWithTheLoaderMessage() {
        List<String> names = List.of("liblustreapi-absent.so.9", "/nonexistent/dir/liblustreapi.so.1");
        LustreLibraryException e = assertThrows(LustreLibraryException.class, () -> LustreLibraryLoader.load(names));
        assertEquals(2, e.attempts().size());
        for (int i = 0; i < names.size(); i++) {
            String attempt = e.attempts().get(i);
            assertTrue(attempt.startsWith(names.get(i) + ": "), attempt);
            assertTrue(attempt.contains("cannot open shared object file"), attempt);
            assertTrue(e.getMessage().contains(attempt), e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("cannot load liblustreapi (LD_LIBRARY_PATH="), e.getMessage());
    }

    @Test
    void anExplicitPathIsTriedAlone() {
        LustreLibraryException e = assertThrows(LustreLibraryException.class,
                () -> Lustre.load("/nonexistent/custom/liblustreapi.so"));
        assertEquals(1, e.attempts().size());
        assertTrue(e.attempts().get(0).startsWith("/nonexistent/custom/liblustreapi.so: "), e.attempts().get(0));
    }

    @Test
    void aLibraryWithoutTheFunctionsIsRefusedByName() {
        LustreLibraryException e = assertThrows(LustreLibraryException.class,
                () -> LustreLibraryLoader.load(List.of("libc.so.6")));
        String attempt = e.attempts().get(0);
        assertTrue(attempt.startsWith("libc.so.6: does not export "), attempt);
        for (String symbol : LustreLibraryLoader.requiredSymbols()) {
            assertTrue(attempt.contains(symbol), attempt);
        }
    }

    @Test
    void requiredSymbolsAreTheBoundFunctions() {
        List<String> symbols = LustreLibraryLoader.requiredSymbols();
        assertEquals(15, symbols.size());
        assertTrue(symbols.contains("llapi_hsm_action_begin"));
        assertTrue(symbols.contains("llapi_search_fsname"));
        assertTrue(symbols.stream().allMatch(s -> s.startsWith("llapi_")), symbols.toString());
    }

    @Test
    void anEmptyCandidateListIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> LustreLibraryLoader.load(List.of()));
    }
}
