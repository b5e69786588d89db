from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.declarations import PostGenerationMethodCall, Sequence
from factory.django import DjangoModelFactory

from lianfang.accounts.models import Membership, User
from lianfang.regions.models import Region

PASSWORD = "Test-pass-2020!"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"user{n:04d}")
    full_name = Sequence(lambda n: f"测试{n}")
    region_code = "620105"
    password = PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: object = None) -> None:
        if create:
            instance.save()


def grant(user: User, role: str, code: str, post: str = "") -> Membership:
    region = Region.objects.get(code=code)
    return Membership.objects.create(
        user=user, role=role, region=region, region_code=code, post=post
    )


def enrol_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
