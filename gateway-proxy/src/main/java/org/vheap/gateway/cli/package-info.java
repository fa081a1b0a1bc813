/** The gateway's command line, {@code ./vheap gateway}: {@link org.vheap.gateway.cli.GatewayCli}. */
package org.vheap.gateway.cli;
