"""`manage.py import_records --kind exam_results --user NAME FILE`: QUA-3 bulk import from the command line."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from docregsys.exceptions import TransitionRefused
from qualifications.importing import count_lines
from qualifications.models import ImportBatch
from qualifications.services import import_batch_enqueue


class Command(BaseCommand):
    help = "导入考试成绩、医师资格证书或定期考核结果（CSV/XLSX）。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=ImportBatch.Kind.values)
        parser.add_argument(
            "--user", required=True, help="记为导入人的用户名（超级管理员或国家级、省级审核人员）"
        )
        parser.add_argument("--errors", type=int, default=20, help="打印前多少条错误")
        parser.add_argument("file")

    def handle(self, *args, kind, file, user, errors=20, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            importer = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"用户不存在：{user}") from None
        with path.open("rb") as fh:
            total = count_lines(fh)
            with tqdm(total=total, unit="行", file=self.stderr._out, disable=None) as bar:
                try:
                    batch = import_batch_enqueue(
                        kind=kind,
                        upload=File(fh, name=path.name),
                        user=importer,
                        run_now=True,
                        progress=bar.update,
                    )
                except TransitionRefused as exc:
                    raise CommandError(str(exc.message)) from None
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(f"导入失败（批次#{batch.pk}）：{batch.failure}")
        self.stdout.write(
            f"批次#{batch.pk} {batch.get_kind_display()} {batch.filename}：共{batch.total_rows}行，"
            f"新增{batch.created}，更新{batch.updated}，未变化{batch.unchanged}，错误行{batch.rejected}"
        )
        for err in batch.errors[:errors]:
            self.stdout.write(f"  第{err['line']}行 [{err['column']}] {err['message']}")
        if batch.rejected and len(batch.errors) > errors:
            self.stdout.write(f"  ……另有{len(batch.errors) - errors}条错误，见管理后台的导入批次报告。")
