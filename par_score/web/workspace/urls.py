from django.urls import path

from par_score.web.workspace.views import (
    agency,
    appraisal,
    audit,
    campaigns,
    common_data,
    compare,
    integrity,
    runs,
)

C = "chien-dich/<int:campaign_id>/"
P = C + "co-quan/<int:part_id>/"
T = C + "tham-dinh/"
S = C + "so-lieu-chung/"

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("chien-dich/", campaigns.campaign_list, name="campaigns"),
    path("chien-dich/moi/", campaigns.campaign_new, name="campaign_new"),
    path(C, campaigns.campaign_home, name="campaign"),
    path(C + "tong-hop/", campaigns.dashboard, name="dashboard"),
    path(C + "cai-dat/", campaigns.campaign_settings, name="campaign_settings"),
    path(C + "tai-khoan/", campaigns.accounts, name="accounts"),
    path(C + "tai-khoan/<int:member_id>/xoa/", campaigns.account_remove, name="account_remove"),
    path(C + "tai-khoan/<int:member_id>/mat-khau/", campaigns.account_password, name="account_password"),
    path(P, agency.part_page, name="part"),
    path(P + "tieu-chi/<str:code>/", agency.criterion_page, name="criterion"),
    path(P + "tieu-chi/<str:code>/them/<str:section>/", agency.record_new, name="record_new"),
    path(P + "tieu-chi/<str:code>/giai-trinh-tham-dinh/", appraisal.appraisal_reply, name="appraisal_reply"),
    path(P + "bang-tinh/", agency.workbook_upload, name="workbook_upload"),
    path(P + "mau-bang-tinh.xlsx", agency.template_download, name="template_download"),
    path(P + "ke-hoach/", agency.plan_page, name="plan"),
    path(P + "nop/", agency.submit, name="submit"),
    path(P + "mo-lai/", agency.reopen, name="reopen"),
    path(C + "ban-ghi/<int:record_id>/", agency.record_page, name="record"),
    path(C + "ban-ghi/<int:record_id>/xoa/", agency.record_delete, name="record_delete"),
    path(S, common_data.common_page, name="common"),
    path(S + "luu/<str:section>/<str:key>/", common_data.common_save, name="common_save"),
    path(S + "ban-ghi/<int:record_id>/", common_data.common_record, name="common_record"),
    path(S + "ban-ghi/<int:record_id>/xoa/", common_data.common_delete, name="common_delete"),
    path(C + "tep/<str:sha256>/", audit.attached_file, name="attached_file"),
    path(C + "kiem-tra/", audit.audit, name="audit"),
    path(C + "kiem-tra/<str:code>/", audit.audit_criterion, name="audit_criterion"),
    path(C + "nhat-ky/", audit.change_log, name="changes"),
    path(C + "nhat-ky/kiem-tra-toan-ven/", integrity.verify_page, name="verify"),
    path(T, appraisal.appraisal_page, name="appraisal"),
    path(T + "mo/", appraisal.appraisal_open, name="appraisal_open"),
    path(T + "chuyen-giai-doan/", appraisal.appraisal_advance, name="appraisal_advance"),
    path(T + "tieu-chi/<str:code>/", appraisal.appraisal_criterion, name="appraisal_criterion"),
    path(T + "tieu-chi/<str:code>/diem/", appraisal.appraisal_points, name="appraisal_points"),
    path(C + "so-sanh-nam/", compare.year_compare, name="year_compare"),
    path(C + "xep-hang/", compare.ranking, name="ranking"),
    path(C + "lan-cham/", runs.run_list, name="runs"),
    path(C + "lan-cham/so-sanh/", runs.run_compare, name="run_compare"),
    path(C + "lan-cham/<int:number>/", runs.run_page, name="run"),
    path(C + "lan-cham/<int:number>/<str:name>", runs.run_file, name="run_file"),
    path(C + "xuat.zip", runs.export, name="export"),
    path(C + "nhap/", runs.import_page, name="import"),
]
