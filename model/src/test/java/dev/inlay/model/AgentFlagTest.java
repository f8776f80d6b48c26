package dev.inlay.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentFlagTest {
    @Test
    void optionsNameTheLayersAgentJar() {
        assertEquals("-agentlib:instrument=/opt/inlay/inlay-agent.jar", AgentFlag.AGENTLIB.layerOption());
        assertEquals("-javaagent:/opt/inlay/inlay-agent.jar", AgentFlag.JAVAAGENT.layerOption());
        assertEquals("JDK_JAVA_OPTIONS", AgentFlag.AGENTLIB.variable(), "never JAVA_TOOL_OPTIONS: jcmd would abort");
        assertEquals("JAVA_TOOL_OPTIONS", AgentFlag.JAVAAGENT.variable());
    }

    @Test
    void eitherFlagLoadsTheLayersAgent() {
        assertTrue(AgentFlag.loadsLayerAgent("-agentlib:instrument=/opt/inlay/inlay-agent.jar"));
        assertTrue(AgentFlag.loadsLayerAgent("-Xmx64m  -javaagent:/opt/inlay/inlay-agent.jar=mode=learn -Dx=y"));
        assertTrue(AgentFlag.loadsLayerAgent(" -agentlib:instrument=/opt/inlay/inlay-agent.jar=mode=learn"));
    }

    @Test
    void otherJarsAndLookAlikesDoNot() {
        assertFalse(AgentFlag.loadsLayerAgent(""));
        assertFalse(AgentFlag.loadsLayerAgent("-javaagent:/opt/inlay/inlay-agent.jar.bak"));
        assertFalse(AgentFlag.loadsLayerAgent("-agentlib:instrument=/tmp/inlay-agent.jar"));
        assertFalse(AgentFlag.loadsLayerAgent("-Dnote=-javaagent:/opt/inlay/inlay-agent.jar"));
        assertFalse(AgentFlag.loadsLayerAgent("-agentpath:/opt/inlay/inlay-agent.jar"));
    }

    @Test
    void wireNamesRoundTripAndUnknownOnesAreNamed() {
        for (AgentFlag flag : AgentFlag.values()) assertEquals(flag, AgentFlag.fromWireName(flag.wireName()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AgentFlag.fromWireName("javaAgent"));
        assertTrue(e.getMessage().contains("agentlib, javaagent"), e.getMessage());
    }
}
