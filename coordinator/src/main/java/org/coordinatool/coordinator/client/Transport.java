package org.coordinatool.coordinator.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** How a client reaches the server: plain TCP, or TLS checking the server's name. */
public sealed interface Transport {

    Transport PLAIN = new Plain();

    static Transport tls(SSLContext context) {
        return new Tls(context);
    }

    /**
     * Connects to one address of {@code host}.
     *
     * @throws IOException when the connection or the TLS handshake fails
     */
    Socket connect(String host, InetSocketAddress address, int timeoutMillis) throws IOException;

    record Plain() implements Transport {
        @Override
        public Socket connect(String host, InetSocketAddress address, int timeoutMillis) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(address, timeoutMillis);
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }
    }

    /** The server's certificate must name {@code host} (as a DNS name or an IP address). */
    record Tls(SSLContext context) implements Transport {
        @Override
        public Socket connect(String host, InetSocketAddress address, int timeoutMillis) throws IOException {
            Socket tcp = PLAIN.connect(host, address, timeoutMillis);
            try {
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, host, address.getPort(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tcp.setSoTimeout(timeoutMillis);
                tls.startHandshake();
                tcp.setSoTimeout(0);
                return tls;
            } catch (IOException e) {
                tcp.close();
                throw new IOException("TLS with " + host + " (" + address.getAddress().getHostAddress() + "): "
                        + e.getMessage(), e);
            }
        }
    }
}
