"""Statistics over the registry: indicators with intervals, and multiple systems
estimation of what no list documents (`rollcall.stats.mse`)."""
