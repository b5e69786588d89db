"""Work orders from intake to archive: routing, signing, returning, replying, following up,
merging, extensions, deadlines passing, and who may see what (DOMAIN §5, §8, §10)."""

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from conftest import B111, C11, C12, DISTRICT, SD1
from lianfang.accounts.tests.factories import UserFactory, grant
from lianfang.cases import rules, selectors, services
from lianfang.cases.models import Channel, WorkOrder, WorkOrderEvent
from lianfang.cases.tests.factories import place_codes, tip
from lianfang.core.errors import Conflict, InvalidInput, PermissionDeniedError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2020-02-10 09:00 +0800", tick=False):
        yield


@pytest.fixture
def operator(world):
    return world.users["hotline_operator"]


def _actor(actor_of, world, role):
    return actor_of(world.users[role])


def test_a_lead_at_a_building_goes_to_its_community_with_a_two_hour_sign_deadline(world):
    order = tip(place_code=B111).order
    assert (order.state, order.handler, order.region_code, order.routed) == (
        "dispatched",
        "community",
        B111,  # the building: its grid worker sees it, and the community above it
        True,
    )
    assert order.dispatched_at is not None
    assert order.sign_due_at == order.dispatched_at + timedelta(hours=2)
    assert order.due_at == order.dispatched_at + timedelta(hours=24)
    actions = list(order.events.values_list("action", flat=True))
    assert actions == ["receive", "dispatch"]


def test_a_free_text_place_naming_a_community_is_routed_like_an_import(world):
    order = tip(place_text="建宁路社区 3号楼后面").order
    assert (order.region_code, order.routed) == (C11, True)


def test_a_place_naming_no_community_waits_in_the_district_dispatch_queue(world, actor_of):
    order = tip(place_text="不知道哪里的小区").order
    assert (order.state, order.routed, order.region_code) == ("received", False, DISTRICT)
    worker = _actor(actor_of, world, "community_worker")
    assert not selectors.visible(worker).filter(pk=order.pk).exists()
    office = _actor(actor_of, world, "command_office")
    services.order_dispatch(actor=office, order=order, region_code=C12)
    order.refresh_from_db()
    assert (order.state, order.region_code) == ("dispatched", C12)


def test_the_unit_signs_handles_and_replies_and_the_reporter_reads_the_reply(world, actor_of):
    receipt = tip(place_code=B111, phone="13812345678", name="李四")
    worker = _actor(actor_of, world, "community_worker")
    order = services.order_accept(actor=worker, order=receipt.order)
    order = services.order_start(actor=worker, order=order, note="已电话联系楼栋长")
    order = services.order_reply(
        actor=worker, order=order, result="registered", reply="已核实并登记，正在居家观察。"
    )
    assert (order.state, order.result) == ("done", "registered")
    seen = selectors.public_status(receipt.receipt, receipt.check_code)
    assert seen is not None and seen.reply == "已核实并登记，正在居家观察。"


def test_a_wrong_check_code_and_an_unknown_receipt_get_the_same_answer(world):
    receipt = tip(place_code=B111)
    assert selectors.public_status(receipt.receipt, "WRONG123") is None
    assert selectors.public_status("TNOSUCH000", receipt.check_code) is None
    assert selectors.public_status(receipt.receipt.lower(), receipt.check_code.lower()) is not None
    stored = WorkOrder.objects.get(pk=receipt.order.pk)
    assert receipt.check_code not in stored.check_hash  # only a keyed, salted hash
    assert stored.check_hash.startswith("cases_pbkdf2_keyed$500$")


def test_the_handling_unit_never_gets_the_reporter(world, actor_of):
    order = tip(place_code=B111, phone="13812345678", name="李四").order
    worker = _actor(actor_of, world, "community_worker")
    assert selectors.get_order(worker, order.pk) == order
    with pytest.raises(PermissionDeniedError):
        services.reporter_reveal(actor=worker, order=order, purpose="回电")
    office = _actor(actor_of, world, "command_office")
    assert services.reporter_reveal(actor=office, order=order, purpose="回访核实") == {
        "name": "李四",
        "phone": "+8613812345678",
    }


def test_a_discipline_tip_is_seen_by_the_discipline_office_only(world, actor_of, operator):
    order = tip("discipline", text="某社区干部违规收取通行证费用", extra={"kind": "其他"}).order
    assert (order.confidential, order.handler, order.state) == (True, "discipline", "dispatched")
    discipline = _actor(actor_of, world, "discipline_officer")
    assert selectors.get_order(discipline, order.pk) == order
    for role in ("command_office", "subdistrict_officer", "community_worker"):
        with pytest.raises(Http404):
            selectors.get_order(_actor(actor_of, world, role), order.pk)
    with pytest.raises(Http404):
        selectors.get_order(actor_of(operator), order.pk)


def test_a_return_sends_the_order_back_to_the_dispatcher_with_its_reason(world, actor_of):
    order = tip(place_code=B111).order
    worker = _actor(actor_of, world, "community_worker")
    with pytest.raises(InvalidInput):
        services.order_return(actor=worker, order=order, reason=" ")
    order = services.order_return(actor=worker, order=order, reason="该楼栋不属本社区")
    assert (order.state, order.routed, order.region_code, order.returned_count) == (
        "received",
        False,
        SD1,
        1,
    )
    assert not selectors.visible(worker).filter(pk=order.pk).exists()
    officer = _actor(actor_of, world, "subdistrict_officer")
    assert selectors.visible(officer).filter(pk=order.pk).exists()


def test_an_action_out_of_order_is_refused_and_changes_nothing(world, actor_of):
    order = tip(place_code=B111).order
    worker = _actor(actor_of, world, "community_worker")
    with pytest.raises(Conflict) as exc:
        services.order_reply(actor=worker, order=order, result="solved", reply="已经处理完毕了")
    assert exc.value.code == "transition_not_allowed"
    order.refresh_from_db()
    assert order.state == "dispatched" and not order.messages.exists()


def test_another_community_cannot_act_on_the_order(world, actor_of):
    order = tip(place_code=B111).order
    stranger = UserFactory.create(username="c12_worker", region_code=C12)
    grant(stranger, "community_worker", C12)
    with pytest.raises(PermissionDeniedError):
        services.order_accept(actor=actor_of(stranger), order=order)


def test_an_unsatisfied_follow_up_sends_the_order_back_for_redoing(world, actor_of, operator):
    order = tip(place_code=B111, phone="13812345678").order
    worker = _actor(actor_of, world, "community_worker")
    order = services.order_accept(actor=worker, order=order)
    order = services.order_reply(actor=worker, order=order, result="solved", reply="已处理完毕")
    hotline = actor_of(operator)
    with pytest.raises(Conflict):
        services.order_close(actor=hotline, order=order)  # a phone to call: follow up first
    order = services.order_followup(
        actor=hotline, order=order, satisfaction="unsatisfied", redo=True, note="垃圾仍未清运"
    )
    assert (order.state, order.redo_count, order.done_at) == ("in_progress", 1, None)
    order = services.order_reply(actor=worker, order=order, result="solved", reply="已再次清运")
    order = services.order_followup(actor=hotline, order=order, satisfaction="satisfied")
    order = services.order_close(actor=hotline, order=order)
    assert order.state == "closed"
    assert list(order.events.values_list("action", flat=True)) == [
        "receive",
        "dispatch",
        "accept",
        "reply",
        "redo",
        "reply",
        "followup",
        "close",
    ]


def test_a_repeat_call_is_merged_and_its_reporter_follows_the_first_order(
    world, operator, actor_of
):
    first = tip(place_code=B111)
    again = tip(place_code=B111, channel=Channel.HOTLINE, phone="13912345678")
    hotline = actor_of(operator)
    services.order_merge(actor=hotline, order=again.order, into=first.order)
    with pytest.raises(Conflict):
        services.order_merge(actor=hotline, order=again.order, into=first.order)
    seen = selectors.public_status(again.receipt, again.check_code)
    assert seen is not None and seen.pk == first.order.pk


def test_questions_are_answered_during_the_call(world, operator, actor_of):
    order = tip("question", text="居家观察期间可以下楼取快递吗？", place_code=B111).order
    assert (order.handler, order.state) == ("intake", "received")
    order = services.order_answer(
        actor=actor_of(operator), order=order, reply="不可以，请联系社区代取。"
    )
    assert (order.state, order.result) == ("done", "explained")


def test_a_deadline_passing_is_marked_once_even_when_the_scheduler_was_down(world):
    order = tip(place_code=B111).order
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        assert services.overdue_mark() == {"sign": 1, "finish": 1}
        assert services.overdue_mark() == {"sign": 0, "finish": 0}
    order.refresh_from_db()
    assert order.overdue and order.overdue_sign
    assert WorkOrderEvent.objects.filter(order=order, action="overdue").count() == 1


def test_an_extension_approved_moves_the_deadline_and_tells_the_reporter(world, actor_of):
    order = tip("sanitation", text="小区门口垃圾堆了三天没人清运", place_code=B111).order
    officer = _actor(actor_of, world, "subdistrict_officer")
    order = services.order_accept(actor=officer, order=order)
    assert order.due_at is not None
    until = order.due_at + timedelta(days=2)
    with pytest.raises(InvalidInput):
        services.extension_ask(actor=officer, order=order, until=order.due_at, reason="车辆不足")
    extension = services.extension_ask(actor=officer, order=order, until=until, reason="车辆不足")
    office = _actor(actor_of, world, "command_office")
    services.extension_decide(actor=office, extension=extension, approve=True)
    order.refresh_from_db()
    assert order.due_at == until
    assert order.messages.filter(direction="out").count() == 1


def test_the_reporter_adds_information_under_the_same_codes(world):
    receipt = tip(place_code=B111)
    order = selectors.public_status(receipt.receipt, receipt.check_code)
    assert order is not None
    services.message_from_reporter(order=order, text="他今天下午又出门了")
    assert order.messages.filter(direction="in").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"text": "短"}, "text"),
        ({"place_code": "999999"}, "place_code"),
        ({"phone": "123"}, "phone"),
        ({"name": "王五123"}, "name"),
        ({"happened_on": "2020-03-01"}, "happened_on"),
    ],
)
def test_bad_input_names_its_field_and_stores_nothing(world, data, field):
    base = {"category": "epidemic_lead", "text": "有人从武汉回来未登记", "place_code": B111}
    with pytest.raises(InvalidInput) as exc:
        rules.clean_tip(base | data, selectors.categories_in_force(), place_codes())
    assert field in exc.value.fields
    assert WorkOrder.objects.count() == 0


def test_a_tip_without_name_or_phone_is_anonymous(world):
    order = tip(place_code=B111).order
    assert order.anonymous and not order.reporter_phone_enc and not order.reporter_name_enc


def test_the_text_and_place_are_stored_encrypted(world):
    order = tip(place_text="建宁路社区3号楼", text="三单元有人发烧不敢去医院").order
    stored = WorkOrder.objects.get(pk=order.pk)
    assert "发烧" not in stored.text_enc and "3号楼" not in stored.place_enc
    assert selectors.text_of(stored) == "三单元有人发烧不敢去医院"


def test_categories_are_dated_versions(world):
    from lianfang.cases.models import Category

    old = Category.objects.get(code="market")
    Category.objects.create(
        code="market",
        name="哄抬物价",
        handler="market",
        limit=5,
        effective_from=timezone.localdate() + timedelta(days=1),
    )
    assert selectors.categories_in_force()["market"] == old
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert selectors.categories_in_force(tomorrow)["market"].limit == 5


def test_the_grid_worker_registers_the_person_a_lead_names_and_the_reporter_is_answered(
    world, actor_of
):
    from lianfang.people.models import Person, Registration
    from lianfang.people.tests.factories import resident_id

    receipt = tip(place_code=B111, text="2单元有人从武汉回来没有登记")
    grid = _actor(actor_of, world, "grid_worker")  # B111's
    order = services.lead_register(
        actor=grid,
        order=receipt.order,
        person={
            "full_name": "王五",
            "id_number": resident_id(seq=77),
            "phone": "",
            "region_code": B111,
            "address": "2单元301",
        },
        screening={"origin": "420100", "arrival_date": "2020-02-08"},
    )
    assert (order.state, order.result) == ("done", "registered")
    assert order.lead_person_id is not None
    person = Person.objects.get(pk=order.lead_person_id)
    assert person.region_code == B111
    assert Registration.objects.get(person=person).source == "hotline"
    seen = selectors.public_status(receipt.receipt, receipt.check_code)
    assert seen is not None and seen.get_result_display() == "已核实登记"
    assert "王五" not in seen.reply


def test_a_lead_with_a_bad_id_registers_nobody_and_stays_open(world, actor_of):
    from lianfang.people.models import Person

    order = tip(place_code=B111).order
    grid = _actor(actor_of, world, "grid_worker")
    with pytest.raises(InvalidInput) as exc:
        services.lead_register(
            actor=grid,
            order=order,
            person={"full_name": "王五", "id_number": "123", "region_code": B111, "address": "1"},
            screening={},
        )
    assert "id_number" in exc.value.fields
    order.refresh_from_db()
    assert order.state == "dispatched" and Person.objects.count() == 0


@pytest.mark.parametrize(
    "reply",
    ["请联系张三 13900001111", "电话 0931-8612345 找王老师", "此人证件 11010519491231002X 已登记"],
)
def test_a_reply_with_a_phone_or_id_number_is_refused(world, actor_of, reply):
    order = tip(place_code=B111).order
    worker = _actor(actor_of, world, "community_worker")
    order = services.order_accept(actor=worker, order=order)
    with pytest.raises(InvalidInput) as exc:
        services.order_reply(actor=worker, order=order, result="solved", reply=reply)
    assert "不能含电话号码或身份证号" in exc.value.fields["reply"][0]


def test_a_reply_with_dates_and_counts_is_accepted(world, actor_of):
    order = tip(place_code=B111).order
    worker = _actor(actor_of, world, "community_worker")
    order = services.order_accept(actor=worker, order=order)
    reply = "已于2020年2月10日上门核实，该户3人均已登记，居家观察14天。"
    assert services.order_reply(actor=worker, order=order, result="solved", reply=reply).reply


def test_a_merged_repeat_calls_words_reach_the_unit_on_the_kept_order(world, operator, actor_of):
    first = tip(place_code=B111)
    again = tip(place_code=B111, text="又打来：那户人今天下午出门了", phone="13912345678")
    services.order_merge(actor=actor_of(operator), order=again.order, into=first.order)
    from lianfang.core import crypto

    added = [
        crypto.decrypt(m.text_enc, selectors.MESSAGE_LABEL)
        for m in first.order.messages.filter(direction="in")
    ]
    assert any("那户人今天下午出门了" in t for t in added)


def test_a_community_chosen_and_its_building_in_the_detail_route_to_the_building(world):
    order = tip(place_code=C11, place_text="建宁路1号楼 2单元").order
    assert order.region_code == B111
    other = tip(place_code=C11, place_text="后门的空地").order
    assert other.region_code == C11


def test_the_public_place_list_holds_communities_only(world):
    groups = selectors.place_choices(DISTRICT)
    codes = [code for _sd, communities in groups for code, _name in communities]
    assert codes and all(len(code) == 12 for code in codes)
    assert groups[0][0] == "培黎街道"
