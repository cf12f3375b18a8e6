"""Statistics over the registry: indicators with their numerators, denominators and
intervals (`rollcall.stats.indicators`, the library the dashboard, the API and the
periodic report call), and multiple systems estimation (`rollcall.stats.mse`)."""
