"""Static files: a content-hashed, precompressed copy built ahead of time, served by WhiteNoise."""
