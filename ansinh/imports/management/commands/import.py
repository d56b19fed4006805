"""`ansinh import FILE --kind beneficiaries|persons|households|poverty|disabilities
[--template NAME] [--commit] [--actor USERNAME] [--error-file OUT.xlsx]`"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ansinh.core.errors import DomainError
from ansinh.imports.models import ImportKind


class Command(BaseCommand):
    help = "Nhập danh sách từ tệp Excel (.xlsx) hoặc CSV: kiểm tra từng dòng, báo cáo, rồi ghi vào sổ (--commit)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument(
            "--template", default=None, help="tên mẫu ánh xạ cột (dùng, hoặc lưu nếu chưa có)"
        )
        parser.add_argument("--commit", action="store_true", help="ghi các dòng hợp lệ vào sổ")
        parser.add_argument("--actor", default=None, help="tên đăng nhập của cán bộ nhập")
        parser.add_argument("--error-file", default=None, help="ghi các dòng lỗi ra tệp .xlsx này")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        from tqdm import tqdm

        from ansinh.imports.selectors import import_report
        from ansinh.imports.services import import_commit, import_error_workbook, import_file

        actor = None
        if options["actor"]:
            actor = get_user_model().objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản «{options['actor']}»: kiểm tra lại tên đăng nhập.")
        if options["commit"] and actor is None:
            raise CommandError(
                "Cần --actor TÊN_ĐĂNG_NHẬP để ghi vào sổ: mỗi thay đổi phải ghi rõ người thực hiện."
            )
        bar = tqdm(unit=" dòng", desc="Kiểm tra", disable=options["no_progress"], file=self.stderr._out)
        try:
            batch = import_file(
                actor=actor,
                path=options["file"],
                kind=options["kind"],
                template_name=options["template"],
                progress=bar.update,
            )
            bar.close()
            if batch.already:
                self.stdout.write(
                    f"Tệp này đã được nhập (lần nhập #{batch.pk}, {batch.created_at:%d/%m/%Y %H:%M}): "
                    "không kiểm tra lại."
                )
            if options["commit"]:
                commit_bar = tqdm(
                    unit=" người", desc="Ghi vào sổ", disable=options["no_progress"], file=self.stderr._out
                )
                summary = import_commit(actor=actor, batch=batch, progress=commit_bar.update)
                commit_bar.close()
                self.stdout.write(
                    f"Đã ghi vào sổ: {summary.imported} dòng nhập mới, {summary.merged} dòng gộp vào người đã có, "
                    f"{summary.rejected} dòng loại bỏ; tạo {summary.persons_created} người, "
                    f"{summary.audit_rows} dòng nhật ký."
                )
        except DomainError as exc:
            bar.close()
            raise CommandError(exc.message) from None
        report = import_report(batch)
        self.stdout.write(report.text())
        if options["error_file"]:
            written = import_error_workbook(batch=batch, path=options["error_file"])
            self.stdout.write(
                f"Đã ghi {written} dòng cần sửa ra tệp «{options['error_file']}» (cột «Lỗi» ghi cách sửa)."
            )
