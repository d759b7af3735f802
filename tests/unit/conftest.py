from hypothesis import HealthCheck, settings

# The properties are about results, not speed: a slow machine or a cold import must not fail them.
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")
