"""A stand-in for an app whose purge fails: installed only by the test that says so."""
