def test_a_system_actor_holds_one_role_in_one_region_and_names_its_purpose(caplog):
    from lianfang.core.scoping import system_actor

    with caplog.at_level("INFO", logger="lianfang.system_actor"):
        actor = system_actor("self_registration", "620105001001")
    assert actor.user_id is None
    assert actor.username == "system:self_registration"
    assert [(g.role, g.region_code) for g in actor.grants] == [("community_worker", "620105001001")]
    assert any("self_registration" in r.getMessage() for r in caplog.records)
