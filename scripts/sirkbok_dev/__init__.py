"""Development tools (benchmarks, browser harness, screenshots); not installed with sirkbok."""
