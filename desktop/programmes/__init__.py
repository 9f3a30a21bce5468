"""Each programme's rules and workflows: plain Python over a db session, no Qt."""
