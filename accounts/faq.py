"""INS-12 常见问题 / 热点问题: the help content of seed 002 chapter 4, for doctors and institutions.

Each answer says only what the seeds say and what the system offers today; where the feature comes with
the applications (业务申请), the answer says that it is being opened. Content, not data: no model.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

DOCTOR = "doctor"
OFFICER = "officer"

GUIDE = _("系统操作指南")
QUESTION = _("常见问题解答")

# Said wherever the answer needs the applications (REG-2), which are not open yet.
COMING = _("“业务申请”功能正在开通中，开通后即可在系统中在线提交，具体如下。")


@dataclass(frozen=True)
class Faq:
    """One question and its answer: paragraphs, an optional numbered list, links to pages that exist."""

    slug: str
    audience: frozenset[str]
    category: str
    title: str
    paragraphs: tuple = ()
    steps: tuple = ()
    notes: tuple = ()  # paragraphs after the numbered list
    links: tuple = ()  # (label, url name, args…): shown only when the page exists

    def resolved_links(self) -> list[tuple[str, str]]:
        found = []
        for label, name, *args in self.links:
            try:
                found.append((label, reverse(name, args=args)))
            except NoReverseMatch:  # a page still being built: no dead link meanwhile
                continue
        return found


ACTIVATION_STEPS = (
    _(
        "已开展电子化注册地区，当前医师注册信息为有效状态的，需由所在机构生成激活码，然后医师在电子化注册中"
        "通过激活码对个人账户进行激活，激活后系统开放所有功能；"
    ),
    _(
        "未开展电子化注册地区，医师如果要注册或变更到已电子化注册地区，可以先做电子化注册，然后系统中可以直接"
        "申请注册或变更业务，由拟执业机构审核，最终卫生计生委审批，审批通过后该医师申请账户自动置为激活，"
        "激活后系统开放所有功能；"
    ),
    _(
        "当前医师注册信息为无效状态（备案、注销、区内到区外变更状态等），直接输入资格证书编码进行激活，"
        "激活后系统开放所有功能；"
    ),
    _(
        "个人端注册后，当前医师资格信息没有关联注册信息（有资格未注册、新考取资格等），直接输入资格证书编码"
        "进行激活，激活后系统开放所有功能；"
    ),
    _("医师电子化注册账户信息仅需激活一次，变更执业地点或主执业机构后不用再重复做激活操作。"),
)
RECOVERY_PARAGRAPHS = (
    _("忘记密码，您可以通过医师个人端“密码找回”功能申请找回（登录页的“忘记密码?”）：找回您的登录账户。"),
)
RECOVERY_STEPS = (
    _("通过手机找回：手机号必须已经通过验证才能通过此方式找回登录账户！"),
    _("通过邮箱找回：邮箱必须已经通过验证才能通过此方式找回登录账户！"),
    _("通过个人信息找回：如果您的手机号和邮箱都未验证可通过账户注册时填写的个人信息找回登录账户！"),
)
PRINT_PARAGRAPHS = (
    COMING,
    _(
        "医师在“业务申请”中提交注册、变更等申请后，由执业所在（或拟执业）医疗机构在医疗机构端审核，"
        "并打印相关申请表，如：注册申请、变更申请、重新注册申请及备案注销申请表。"
    ),
    _(
        "申请表一定要在医疗机构端打印：这时打印出来的申请表信息资料才会完整，并且纸张侧边有行政审批的编码，"
        "行政审批才能通过。"
    ),
)
MOVE_PARAGRAPH = _(
    "医师个人提交变更执业地点、变更主要执业机构或多执业机构备案的申请，直接到拟执业机构进行确认，"
    "然后由拟执业机构所属卫生计生委进行审批。"
)
ACTIVATION_LINK = (_("医师账户激活"), "accounts:activation")
RECOVERY_LINK = (_("找回您的登录账户"), "accounts:recover")
GUIDES_LINK = (_("关于补办或修改医师资格信息指南"), "qualifications:guides")
PRACTICE_LINK = (_("执业信息"), "accounts:practice")
BOTH = frozenset({DOCTOR, OFFICER})
DOCTORS = frozenset({DOCTOR})
OFFICERS = frozenset({OFFICER})

FAQS = (
    # ------------------------------------------------------------ the institution's 常见问题列表 (系统操作指南)
    Faq(
        slug="officer-activation",
        audience=OFFICERS,
        category=GUIDE,
        title=_("医师如何完成账户激活"),
        steps=ACTIVATION_STEPS,
        notes=(
            _(
                "本机构医师的激活码在“本院执业医师信息 → 医师账户激活”中生成，系统将激活码发送到医师已验证的"
                "手机号码或邮箱。"
            ),
        ),
        links=((_("医师账户激活"), "console:activation"),),
    ),
    Faq(
        slug="officer-recovery",
        audience=OFFICERS,
        category=GUIDE,
        title=_("医师如何找回个人的账户信息"),
        paragraphs=RECOVERY_PARAGRAPHS,
        steps=RECOVERY_STEPS,
        links=(RECOVERY_LINK,),
    ),
    Faq(
        slug="officer-print",
        audience=OFFICERS,
        category=GUIDE,
        title=_("医疗机构如何打印业务申请表"),
        paragraphs=(
            _("“业务申请”功能正在开通中，开通后在“业务办理 → 医师申请业务办理”中办理。"),
            _(
                "医疗机构需登录医疗机构系统，及时确认医师的业务申请，并打印相关申请表。如：注册申请、"
                "变更申请、重新注册申请及备案注销申请表。"
            ),
            _(
                "查询出医师的业务申请后，单击【办理业务】，确认信息无误后，也可点击【打印预览】预览医师申请"
                "审核表，再次确认信息，若没有问题，请点击【同意】，将此业务申请提交给卫生计生委进行最终审核。"
            ),
            _("由医疗机构端打印出来的表格信息完整，并带有行政审批的编码。"),
        ),
    ),
    # --------------------------------------------------------------- the doctor's 热点问题 · 系统操作指南
    Faq(
        slug="activation",
        audience=DOCTORS,
        category=GUIDE,
        title=_("如何完成账户激活"),
        steps=ACTIVATION_STEPS,
        notes=(
            _("激活前须先通过医师信息校验，并验证手机号码（或邮箱）。"),
            _("新考取资格、尚未领取资格证书的，可输入合格成绩的准考证号进行激活。"),
        ),
        links=(ACTIVATION_LINK,),
    ),
    Faq(
        slug="print",
        audience=DOCTORS,
        category=GUIDE,
        title=_("如何打印业务申请表"),
        paragraphs=PRINT_PARAGRAPHS,
    ),
    Faq(
        slug="physician-move",
        audience=DOCTORS,
        category=GUIDE,
        title=_("执业医师如何申请变更主执业机构"),
        paragraphs=(
            COMING,
            _("在“业务申请”中选择“变更”，如实填写拟执业的执业地点和主要执业机构后提交。"),
            MOVE_PARAGRAPH,
            _("执业医师可在多个执业地点执业，在同一执业地点只有一个主要执业机构。"),
        ),
        links=(PRACTICE_LINK,),
    ),
    Faq(
        slug="assistant-move",
        audience=DOCTORS,
        category=GUIDE,
        title=_("助理医师如何申请变更主执业机构"),
        paragraphs=(
            COMING,
            _("在“业务申请”中选择“变更”，如实填写拟执业的执业地点和主要执业机构后提交。"),
            MOVE_PARAGRAPH,
            _("执业助理医师的执业地点为一个县级行政区划。"),
        ),
        links=(PRACTICE_LINK,),
    ),
    Faq(
        slug="duration",
        audience=DOCTORS,
        category=GUIDE,
        title=_("业务申请提交后多长时间能够办理完毕"),
        paragraphs=(
            COMING,
            _(
                "业务申请提交后，先由医疗机构审核，机构同意后由卫生计生委审批；办理时间取决于医疗机构审核和"
                "卫生计生委审批的进度，系统不设统一的办理时限。"
            ),
            _(
                "您可在“已提交业务查询”中查看申请所处的环节：机构审核中、卫健委审批中、已办结或已退回，以及"
                "相应的日期和原因；每次状态变化都会通知您。"
            ),
        ),
    ),
    Faq(
        slug="withdraw",
        audience=DOCTORS,
        category=GUIDE,
        title=_("如何撤销业务申请"),
        paragraphs=(
            COMING,
            _("在医疗机构审核之前，医师可以撤销自己提交的业务申请。"),
            _(
                "医疗机构已经同意的申请，在卫生计生委审批之前可由医疗机构撤销办理；被退回的申请可修改后重新提交。"
            ),
        ),
    ),
    Faq(
        slug="assistant-upgrade",
        audience=DOCTORS,
        category=GUIDE,
        title=_("助理升执业医师如何操作"),
        paragraphs=(
            COMING,
            _(
                "助理升执业（同一个医疗机构），点击业务申请，选择助理升执业，确认信息无误后如实填写信息并提交，然后联系注册医疗机构审核。"
            ),
            _(
                "助理升执业须执业类别、主要执业机构和执业范围都不变，并已取得该类别的执业医师资格；三者中任何"
                "一项改变，则应申请“变更”。审批通过后，原执业助理医师注册随之失效。"
            ),
        ),
    ),
    Faq(
        slug="certificate-number",
        audience=DOCTORS,
        category=GUIDE,
        title=_("执业证书编码终身一号"),
        paragraphs=(
            _(
                "执业证书编码在首次注册审批通过时分配，一人一号、终身不变，变更执业地点或主执业机构后编码不变。"
            ),
            _("您的执业证书编码可在“执业信息”中查看。"),
        ),
        links=(PRACTICE_LINK,),
    ),
    Faq(
        slug="filing",
        audience=DOCTORS,
        category=GUIDE,
        title=_("如何申请多执业机构备案"),
        paragraphs=(
            COMING,
            _("在“业务申请”中选择“多执业机构备案”，填写拟备案的医疗机构和执业范围后提交。"),
            MOVE_PARAGRAPH,
        ),
        links=(PRACTICE_LINK,),
    ),
    Faq(
        slug="filing-cancel",
        audience=DOCTORS,
        category=GUIDE,
        title=_("如何取消多执业机构备案"),
        paragraphs=(
            COMING,
            _(
                "在“业务申请”中选择“多执业机构取消备案”，选择要取消的备案后提交，由医疗机构审核、卫生计生委审批。"
            ),
        ),
        links=(PRACTICE_LINK,),
    ),
    Faq(
        slug="photo",
        audience=DOCTORS,
        category=GUIDE,
        title=_("如何修改照片信息"),
        paragraphs=(_("在“信息维护”中点击“点击上传相片”，选择符合要求的个人照片上传。"),),
        steps=(
            _("最近六个月免冠白底证件照"),
            _("宽：354像素（pixel），高：472像素（pixel）"),
            _("文件扩展名为：jpg、jpeg、png"),
            _("相片大小不得超过80k"),
            _("相片上传成功后须等待您所在医疗机构审核"),
            _("重复上传将覆盖您之前上传的相片"),
        ),
        notes=(_("个人相片上传成功后，需本机构审核通过后方可生效。"),),
        links=((_("信息维护"), "accounts:maintenance"),),
    ),
    # ---------------------------------------------------------------------- 常见问题解答 (seed 002 ch. 4)
    Faq(
        slug="legacy",
        audience=BOTH,
        category=QUESTION,
        title=_("什么是“老人老办法资格”？"),
        paragraphs=(_("1999年《医师法》正式实施前，经省级卫生计生行政人事部门认定的资格简称“老人资格”。"),),
        links=((_("老人老办法医师资格信息修改及补录指南"), "qualifications:guide", "legacy"),),
    ),
    Faq(
        slug="exam",
        audience=BOTH,
        category=QUESTION,
        title=_("什么是“新人新办法资格”？"),
        paragraphs=(_("经参加国家组织的医师资格考试合格获得的资格，简称“新人资格”。"),),
        links=((_("新人新办法医师资格信息修改及补录指南"), "qualifications:guide", "exam"),),
    ),
    Faq(
        slug="forgot",
        audience=DOCTORS,
        category=QUESTION,
        title=_("注册的用户名密码忘记了怎么办？"),
        paragraphs=RECOVERY_PARAGRAPHS,
        steps=RECOVERY_STEPS,
        links=(RECOVERY_LINK,),
    ),
    Faq(
        slug="invalid",
        audience=BOTH,
        category=QUESTION,
        title=_("处于注册无效状态及规培的医师如何激活？"),
        paragraphs=(
            _(
                "有资格未注册、处于变更出、注册备案、注销状态、以及处于住院医师规范化培训、以及其他处于无效状态的"
                "医师，无法向机构领取激活码，则需要通过输入资格证书编码自行激活。"
            ),
        ),
        links=(ACTIVATION_LINK,),
    ),
    Faq(
        slug="no-ereg",
        audience=BOTH,
        category=QUESTION,
        title=_("未实施电子化注册地区的医师来已实施电子化注册的地区办理业务前如何激活账户？"),
        paragraphs=(
            _(
                "未实施电子化注册地区的医师来注册无需先激活，可直接申请注册或变更，待机构审核通过且卫计委已审批后，"
                "账户自动激活。"
            ),
            _("“业务申请”功能正在开通中。"),
        ),
    ),
    Faq(
        slug="institution-missing",
        audience=BOTH,
        category=QUESTION,
        title=_("机构未查询到医师账户激活的信息，怎么办？"),
        paragraphs=(
            _(
                "医师个人端注册成功后，医疗机构在软件的“医师账户激活”中查询不到该医师的信息。则应到系统“医师验证”"
                "功能中验证该医师的注册信息的执业地点是否与本机构的标准名称一致。若不一致，请联系卫生计生委处理。"
            ),
        ),
        links=((_("医师注册信息验证"), "console:verify_registration"),),
    ),
    Faq(
        slug="unverified",
        audience=BOTH,
        category=QUESTION,
        title=_("未验证到医师资格怎么办？"),
        paragraphs=(
            _(
                "若未通过医师资格校验，则可能是注册时填写的姓名及身份证号码有误，请修改正确后继续验证；如果确认姓名"
                "及身份证号码无误，请在系统内“资格补【改】指南”菜单中查看解决办法。"
            ),
        ),
        links=(GUIDES_LINK,),
    ),
    Faq(
        slug="ask",
        audience=DOCTORS,
        category=QUESTION,
        title=_("系统使用过程中，遇到问题如何寻求帮助？"),
        paragraphs=(
            _(
                "医师个人如果在使用系统时遇到了问题，请点击右上角“帮助中心”，首先查看下方热点问题，如果还不能"
                "解决问题，您可以点击“我要提问”，将问题描述清楚后提交。"
            ),
        ),
        links=((_("我要提问"), "accounts:help_ask"),),
    ),
    Faq(
        slug="officer-ask",
        audience=OFFICERS,
        category=QUESTION,
        title=_("系统使用过程中，遇到问题如何寻求帮助？"),
        paragraphs=(
            _(
                "医疗机构如果在使用系统时遇到了问题，请点击“客服中心”，首先可以查看常见问题列表，看看有没有您要"
                "咨询的问题。"
            ),
            _("如果常见问题列表中，没有您要咨询的问题，可以点击向客服提问，将您的问题描述清楚后提交。"),
        ),
    ),
)


def faq_list_for(audience: str) -> list[Faq]:
    """The questions shown to doctors (``DOCTOR``) or institutions (``OFFICER``), guides first."""
    return [faq for faq in FAQS if audience in faq.audience]


def faq_get(*, audience: str, slug: str) -> Faq | None:
    return next((faq for faq in faq_list_for(audience) if faq.slug == slug), None)
