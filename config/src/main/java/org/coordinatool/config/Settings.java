package org.coordinatool.config;

/** The settings one program reads; both sides share the server address and the log level. */
public sealed interface Settings permits ServerSettings, ClientSettings {

    /** Server side: address to bind; client side: server to connect to. */
    String host();

    /** Port number or service name. */
    String port();

    LogLevel verbose();
}
