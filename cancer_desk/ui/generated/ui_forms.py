# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'forms.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QGridLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit

class Ui_PatientForm(object):
    def setupUi(self, PatientForm):
        if not PatientForm.objectName():
            PatientForm.setObjectName(u"PatientForm")
        PatientForm.setLayoutDirection(Qt.RightToLeft)
        self.form_layout = QVBoxLayout(PatientForm)
        self.form_layout.setObjectName(u"form_layout")
        self.duplicate_banner = QFrame(PatientForm)
        self.duplicate_banner.setObjectName(u"duplicate_banner")
        self.duplicate_layout = QHBoxLayout(self.duplicate_banner)
        self.duplicate_layout.setObjectName(u"duplicate_layout")
        self.duplicate_label = QLabel(self.duplicate_banner)
        self.duplicate_label.setObjectName(u"duplicate_label")
        self.duplicate_label.setWordWrap(True)

        self.duplicate_layout.addWidget(self.duplicate_label)

        self.open_existing_button = QPushButton(self.duplicate_banner)
        self.open_existing_button.setObjectName(u"open_existing_button")

        self.duplicate_layout.addWidget(self.open_existing_button)


        self.form_layout.addWidget(self.duplicate_banner)

        self.similar_banner = QFrame(PatientForm)
        self.similar_banner.setObjectName(u"similar_banner")
        self.similar_layout = QHBoxLayout(self.similar_banner)
        self.similar_layout.setObjectName(u"similar_layout")
        self.similar_label = QLabel(self.similar_banner)
        self.similar_label.setObjectName(u"similar_label")
        self.similar_label.setWordWrap(True)

        self.similar_layout.addWidget(self.similar_label)

        self.open_similar_button = QPushButton(self.similar_banner)
        self.open_similar_button.setObjectName(u"open_similar_button")

        self.similar_layout.addWidget(self.open_similar_button)


        self.form_layout.addWidget(self.similar_banner)

        self.identity_group = QGroupBox(PatientForm)
        self.identity_group.setObjectName(u"identity_group")
        self.identity_group_grid = QGridLayout(self.identity_group)
        self.identity_group_grid.setObjectName(u"identity_group_grid")
        self.identity_group_grid.setHorizontalSpacing(10)
        self.identity_group_grid.setVerticalSpacing(2)
        self.national_code_label = QLabel(self.identity_group)
        self.national_code_label.setObjectName(u"national_code_label")

        self.identity_group_grid.addWidget(self.national_code_label, 0, 0, 1, 1)

        self.national_code_edit = QLineEdit(self.identity_group)
        self.national_code_edit.setObjectName(u"national_code_edit")
        self.national_code_edit.setMaxLength(14)

        self.identity_group_grid.addWidget(self.national_code_edit, 0, 1, 1, 1)

        self.national_code_error = QLabel(self.identity_group)
        self.national_code_error.setObjectName(u"national_code_error")
        self.national_code_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.national_code_error, 1, 1, 1, 1)

        self.cancer_group_id_label = QLabel(self.identity_group)
        self.cancer_group_id_label.setObjectName(u"cancer_group_id_label")

        self.identity_group_grid.addWidget(self.cancer_group_id_label, 0, 2, 1, 1)

        self.cancer_group_id_combo = QComboBox(self.identity_group)
        self.cancer_group_id_combo.setObjectName(u"cancer_group_id_combo")

        self.identity_group_grid.addWidget(self.cancer_group_id_combo, 0, 3, 1, 1)

        self.cancer_group_id_error = QLabel(self.identity_group)
        self.cancer_group_id_error.setObjectName(u"cancer_group_id_error")
        self.cancer_group_id_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.cancer_group_id_error, 1, 3, 1, 1)

        self.first_name_label = QLabel(self.identity_group)
        self.first_name_label.setObjectName(u"first_name_label")

        self.identity_group_grid.addWidget(self.first_name_label, 2, 0, 1, 1)

        self.first_name_edit = QLineEdit(self.identity_group)
        self.first_name_edit.setObjectName(u"first_name_edit")

        self.identity_group_grid.addWidget(self.first_name_edit, 2, 1, 1, 1)

        self.first_name_error = QLabel(self.identity_group)
        self.first_name_error.setObjectName(u"first_name_error")
        self.first_name_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.first_name_error, 3, 1, 1, 1)

        self.last_name_label = QLabel(self.identity_group)
        self.last_name_label.setObjectName(u"last_name_label")

        self.identity_group_grid.addWidget(self.last_name_label, 2, 2, 1, 1)

        self.last_name_edit = QLineEdit(self.identity_group)
        self.last_name_edit.setObjectName(u"last_name_edit")

        self.identity_group_grid.addWidget(self.last_name_edit, 2, 3, 1, 1)

        self.last_name_error = QLabel(self.identity_group)
        self.last_name_error.setObjectName(u"last_name_error")
        self.last_name_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.last_name_error, 3, 3, 1, 1)

        self.father_name_label = QLabel(self.identity_group)
        self.father_name_label.setObjectName(u"father_name_label")

        self.identity_group_grid.addWidget(self.father_name_label, 4, 0, 1, 1)

        self.father_name_edit = QLineEdit(self.identity_group)
        self.father_name_edit.setObjectName(u"father_name_edit")

        self.identity_group_grid.addWidget(self.father_name_edit, 4, 1, 1, 1)

        self.father_name_error = QLabel(self.identity_group)
        self.father_name_error.setObjectName(u"father_name_error")
        self.father_name_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.father_name_error, 5, 1, 1, 1)

        self.sex_label = QLabel(self.identity_group)
        self.sex_label.setObjectName(u"sex_label")

        self.identity_group_grid.addWidget(self.sex_label, 4, 2, 1, 1)

        self.sex_combo = QComboBox(self.identity_group)
        self.sex_combo.setObjectName(u"sex_combo")

        self.identity_group_grid.addWidget(self.sex_combo, 4, 3, 1, 1)

        self.sex_error = QLabel(self.identity_group)
        self.sex_error.setObjectName(u"sex_error")
        self.sex_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.sex_error, 5, 3, 1, 1)

        self.birth_date_label = QLabel(self.identity_group)
        self.birth_date_label.setObjectName(u"birth_date_label")

        self.identity_group_grid.addWidget(self.birth_date_label, 6, 0, 1, 1)

        self.birth_date_edit = JalaliDateEdit(self.identity_group)
        self.birth_date_edit.setObjectName(u"birth_date_edit")

        self.identity_group_grid.addWidget(self.birth_date_edit, 6, 1, 1, 1)

        self.birth_date_error = QLabel(self.identity_group)
        self.birth_date_error.setObjectName(u"birth_date_error")
        self.birth_date_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.birth_date_error, 7, 1, 1, 1)

        self.birth_certificate_no_label = QLabel(self.identity_group)
        self.birth_certificate_no_label.setObjectName(u"birth_certificate_no_label")

        self.identity_group_grid.addWidget(self.birth_certificate_no_label, 6, 2, 1, 1)

        self.birth_certificate_no_edit = QLineEdit(self.identity_group)
        self.birth_certificate_no_edit.setObjectName(u"birth_certificate_no_edit")

        self.identity_group_grid.addWidget(self.birth_certificate_no_edit, 6, 3, 1, 1)

        self.birth_certificate_no_error = QLabel(self.identity_group)
        self.birth_certificate_no_error.setObjectName(u"birth_certificate_no_error")
        self.birth_certificate_no_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.birth_certificate_no_error, 7, 3, 1, 1)

        self.birth_province_label = QLabel(self.identity_group)
        self.birth_province_label.setObjectName(u"birth_province_label")

        self.identity_group_grid.addWidget(self.birth_province_label, 8, 0, 1, 1)

        self.birth_province_combo = QComboBox(self.identity_group)
        self.birth_province_combo.setObjectName(u"birth_province_combo")

        self.identity_group_grid.addWidget(self.birth_province_combo, 8, 1, 1, 1)

        self.birth_province_error = QLabel(self.identity_group)
        self.birth_province_error.setObjectName(u"birth_province_error")
        self.birth_province_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.birth_province_error, 9, 1, 1, 1)

        self.birth_city_label = QLabel(self.identity_group)
        self.birth_city_label.setObjectName(u"birth_city_label")

        self.identity_group_grid.addWidget(self.birth_city_label, 8, 2, 1, 1)

        self.birth_city_edit = QLineEdit(self.identity_group)
        self.birth_city_edit.setObjectName(u"birth_city_edit")

        self.identity_group_grid.addWidget(self.birth_city_edit, 8, 3, 1, 1)

        self.birth_city_error = QLabel(self.identity_group)
        self.birth_city_error.setObjectName(u"birth_city_error")
        self.birth_city_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.birth_city_error, 9, 3, 1, 1)

        self.nationality_label = QLabel(self.identity_group)
        self.nationality_label.setObjectName(u"nationality_label")

        self.identity_group_grid.addWidget(self.nationality_label, 10, 0, 1, 1)

        self.nationality_combo = QComboBox(self.identity_group)
        self.nationality_combo.setObjectName(u"nationality_combo")

        self.identity_group_grid.addWidget(self.nationality_combo, 10, 1, 1, 1)

        self.nationality_error = QLabel(self.identity_group)
        self.nationality_error.setObjectName(u"nationality_error")
        self.nationality_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.nationality_error, 11, 1, 1, 1)

        self.icd10_code_label = QLabel(self.identity_group)
        self.icd10_code_label.setObjectName(u"icd10_code_label")

        self.identity_group_grid.addWidget(self.icd10_code_label, 10, 2, 1, 1)

        self.icd10_code_edit = QLineEdit(self.identity_group)
        self.icd10_code_edit.setObjectName(u"icd10_code_edit")

        self.identity_group_grid.addWidget(self.icd10_code_edit, 10, 3, 1, 1)

        self.icd10_code_error = QLabel(self.identity_group)
        self.icd10_code_error.setObjectName(u"icd10_code_error")
        self.icd10_code_error.setWordWrap(True)

        self.identity_group_grid.addWidget(self.icd10_code_error, 11, 3, 1, 1)

        self.icd10_hint_label = QLabel(self.identity_group)
        self.icd10_hint_label.setObjectName(u"icd10_hint_label")
        self.icd10_hint_label.setWordWrap(True)

        self.identity_group_grid.addWidget(self.icd10_hint_label, 12, 0, 1, 4)

        self.identity_group_grid.setColumnStretch(1, 1)
        self.identity_group_grid.setColumnStretch(3, 1)
        self.identity_group_grid.setColumnMinimumWidth(0, 160)
        self.identity_group_grid.setColumnMinimumWidth(2, 200)

        self.form_layout.addWidget(self.identity_group)

        self.insurance_group = QGroupBox(PatientForm)
        self.insurance_group.setObjectName(u"insurance_group")
        self.insurance_group_grid = QGridLayout(self.insurance_group)
        self.insurance_group_grid.setObjectName(u"insurance_group_grid")
        self.insurance_group_grid.setHorizontalSpacing(10)
        self.insurance_group_grid.setVerticalSpacing(2)
        self.insurance_type_label = QLabel(self.insurance_group)
        self.insurance_type_label.setObjectName(u"insurance_type_label")

        self.insurance_group_grid.addWidget(self.insurance_type_label, 0, 0, 1, 1)

        self.insurance_type_combo = QComboBox(self.insurance_group)
        self.insurance_type_combo.setObjectName(u"insurance_type_combo")
        self.insurance_type_combo.setEditable(True)

        self.insurance_group_grid.addWidget(self.insurance_type_combo, 0, 1, 1, 1)

        self.insurance_type_error = QLabel(self.insurance_group)
        self.insurance_type_error.setObjectName(u"insurance_type_error")
        self.insurance_type_error.setWordWrap(True)

        self.insurance_group_grid.addWidget(self.insurance_type_error, 1, 1, 1, 1)

        self.insurance_number_label = QLabel(self.insurance_group)
        self.insurance_number_label.setObjectName(u"insurance_number_label")

        self.insurance_group_grid.addWidget(self.insurance_number_label, 0, 2, 1, 1)

        self.insurance_number_edit = QLineEdit(self.insurance_group)
        self.insurance_number_edit.setObjectName(u"insurance_number_edit")

        self.insurance_group_grid.addWidget(self.insurance_number_edit, 0, 3, 1, 1)

        self.insurance_number_error = QLabel(self.insurance_group)
        self.insurance_number_error.setObjectName(u"insurance_number_error")
        self.insurance_number_error.setWordWrap(True)

        self.insurance_group_grid.addWidget(self.insurance_number_error, 1, 3, 1, 1)

        self.insurance_group_grid.setColumnStretch(1, 1)
        self.insurance_group_grid.setColumnStretch(3, 1)
        self.insurance_group_grid.setColumnMinimumWidth(0, 160)
        self.insurance_group_grid.setColumnMinimumWidth(2, 200)

        self.form_layout.addWidget(self.insurance_group)

        self.address_group = QGroupBox(PatientForm)
        self.address_group.setObjectName(u"address_group")
        self.address_group_grid = QGridLayout(self.address_group)
        self.address_group_grid.setObjectName(u"address_group_grid")
        self.address_group_grid.setHorizontalSpacing(10)
        self.address_group_grid.setVerticalSpacing(2)
        self.address_province_label = QLabel(self.address_group)
        self.address_province_label.setObjectName(u"address_province_label")

        self.address_group_grid.addWidget(self.address_province_label, 0, 0, 1, 1)

        self.address_province_combo = QComboBox(self.address_group)
        self.address_province_combo.setObjectName(u"address_province_combo")

        self.address_group_grid.addWidget(self.address_province_combo, 0, 1, 1, 1)

        self.address_province_error = QLabel(self.address_group)
        self.address_province_error.setObjectName(u"address_province_error")
        self.address_province_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.address_province_error, 1, 1, 1, 1)

        self.address_city_label = QLabel(self.address_group)
        self.address_city_label.setObjectName(u"address_city_label")

        self.address_group_grid.addWidget(self.address_city_label, 0, 2, 1, 1)

        self.address_city_edit = QLineEdit(self.address_group)
        self.address_city_edit.setObjectName(u"address_city_edit")

        self.address_group_grid.addWidget(self.address_city_edit, 0, 3, 1, 1)

        self.address_city_error = QLabel(self.address_group)
        self.address_city_error.setObjectName(u"address_city_error")
        self.address_city_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.address_city_error, 1, 3, 1, 1)

        self.address_street_label = QLabel(self.address_group)
        self.address_street_label.setObjectName(u"address_street_label")

        self.address_group_grid.addWidget(self.address_street_label, 2, 0, 1, 1)

        self.address_street_edit = QLineEdit(self.address_group)
        self.address_street_edit.setObjectName(u"address_street_edit")

        self.address_group_grid.addWidget(self.address_street_edit, 2, 1, 1, 1)

        self.address_street_error = QLabel(self.address_group)
        self.address_street_error.setObjectName(u"address_street_error")
        self.address_street_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.address_street_error, 3, 1, 1, 1)

        self.address_alley_label = QLabel(self.address_group)
        self.address_alley_label.setObjectName(u"address_alley_label")

        self.address_group_grid.addWidget(self.address_alley_label, 2, 2, 1, 1)

        self.address_alley_edit = QLineEdit(self.address_group)
        self.address_alley_edit.setObjectName(u"address_alley_edit")

        self.address_group_grid.addWidget(self.address_alley_edit, 2, 3, 1, 1)

        self.address_alley_error = QLabel(self.address_group)
        self.address_alley_error.setObjectName(u"address_alley_error")
        self.address_alley_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.address_alley_error, 3, 3, 1, 1)

        self.address_plaque_label = QLabel(self.address_group)
        self.address_plaque_label.setObjectName(u"address_plaque_label")

        self.address_group_grid.addWidget(self.address_plaque_label, 4, 0, 1, 1)

        self.address_plaque_edit = QLineEdit(self.address_group)
        self.address_plaque_edit.setObjectName(u"address_plaque_edit")

        self.address_group_grid.addWidget(self.address_plaque_edit, 4, 1, 1, 1)

        self.address_plaque_error = QLabel(self.address_group)
        self.address_plaque_error.setObjectName(u"address_plaque_error")
        self.address_plaque_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.address_plaque_error, 5, 1, 1, 1)

        self.postal_code_label = QLabel(self.address_group)
        self.postal_code_label.setObjectName(u"postal_code_label")

        self.address_group_grid.addWidget(self.postal_code_label, 4, 2, 1, 1)

        self.postal_code_edit = QLineEdit(self.address_group)
        self.postal_code_edit.setObjectName(u"postal_code_edit")
        self.postal_code_edit.setMaxLength(14)

        self.address_group_grid.addWidget(self.postal_code_edit, 4, 3, 1, 1)

        self.postal_code_error = QLabel(self.address_group)
        self.postal_code_error.setObjectName(u"postal_code_error")
        self.postal_code_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.postal_code_error, 5, 3, 1, 1)

        self.phone_label = QLabel(self.address_group)
        self.phone_label.setObjectName(u"phone_label")

        self.address_group_grid.addWidget(self.phone_label, 6, 0, 1, 1)

        self.phone_edit = QLineEdit(self.address_group)
        self.phone_edit.setObjectName(u"phone_edit")

        self.address_group_grid.addWidget(self.phone_edit, 6, 1, 1, 1)

        self.phone_error = QLabel(self.address_group)
        self.phone_error.setObjectName(u"phone_error")
        self.phone_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.phone_error, 7, 1, 1, 1)

        self.relative_phone_label = QLabel(self.address_group)
        self.relative_phone_label.setObjectName(u"relative_phone_label")

        self.address_group_grid.addWidget(self.relative_phone_label, 6, 2, 1, 1)

        self.relative_phone_edit = QLineEdit(self.address_group)
        self.relative_phone_edit.setObjectName(u"relative_phone_edit")

        self.address_group_grid.addWidget(self.relative_phone_edit, 6, 3, 1, 1)

        self.relative_phone_error = QLabel(self.address_group)
        self.relative_phone_error.setObjectName(u"relative_phone_error")
        self.relative_phone_error.setWordWrap(True)

        self.address_group_grid.addWidget(self.relative_phone_error, 7, 3, 1, 1)

        self.residence_label = QLabel(self.address_group)
        self.residence_label.setObjectName(u"residence_label")
        self.residence_label.setWordWrap(True)

        self.address_group_grid.addWidget(self.residence_label, 8, 0, 1, 4)

        self.address_group_grid.setColumnStretch(1, 1)
        self.address_group_grid.setColumnStretch(3, 1)
        self.address_group_grid.setColumnMinimumWidth(0, 160)
        self.address_group_grid.setColumnMinimumWidth(2, 200)

        self.form_layout.addWidget(self.address_group)

        self.bottom_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.form_layout.addItem(self.bottom_spacer)

#if QT_CONFIG(shortcut)
        self.national_code_label.setBuddy(self.national_code_edit)
        self.cancer_group_id_label.setBuddy(self.cancer_group_id_combo)
        self.first_name_label.setBuddy(self.first_name_edit)
        self.last_name_label.setBuddy(self.last_name_edit)
        self.father_name_label.setBuddy(self.father_name_edit)
        self.sex_label.setBuddy(self.sex_combo)
        self.birth_date_label.setBuddy(self.birth_date_edit)
        self.birth_certificate_no_label.setBuddy(self.birth_certificate_no_edit)
        self.birth_province_label.setBuddy(self.birth_province_combo)
        self.birth_city_label.setBuddy(self.birth_city_edit)
        self.nationality_label.setBuddy(self.nationality_combo)
        self.icd10_code_label.setBuddy(self.icd10_code_edit)
        self.insurance_type_label.setBuddy(self.insurance_type_combo)
        self.insurance_number_label.setBuddy(self.insurance_number_edit)
        self.address_province_label.setBuddy(self.address_province_combo)
        self.address_city_label.setBuddy(self.address_city_edit)
        self.address_street_label.setBuddy(self.address_street_edit)
        self.address_alley_label.setBuddy(self.address_alley_edit)
        self.address_plaque_label.setBuddy(self.address_plaque_edit)
        self.postal_code_label.setBuddy(self.postal_code_edit)
        self.phone_label.setBuddy(self.phone_edit)
        self.relative_phone_label.setBuddy(self.relative_phone_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.national_code_edit, self.cancer_group_id_combo)
        QWidget.setTabOrder(self.cancer_group_id_combo, self.first_name_edit)
        QWidget.setTabOrder(self.first_name_edit, self.last_name_edit)
        QWidget.setTabOrder(self.last_name_edit, self.father_name_edit)
        QWidget.setTabOrder(self.father_name_edit, self.sex_combo)
        QWidget.setTabOrder(self.sex_combo, self.birth_date_edit)
        QWidget.setTabOrder(self.birth_date_edit, self.birth_certificate_no_edit)
        QWidget.setTabOrder(self.birth_certificate_no_edit, self.birth_province_combo)
        QWidget.setTabOrder(self.birth_province_combo, self.birth_city_edit)
        QWidget.setTabOrder(self.birth_city_edit, self.nationality_combo)
        QWidget.setTabOrder(self.nationality_combo, self.icd10_code_edit)
        QWidget.setTabOrder(self.icd10_code_edit, self.insurance_type_combo)
        QWidget.setTabOrder(self.insurance_type_combo, self.insurance_number_edit)
        QWidget.setTabOrder(self.insurance_number_edit, self.address_province_combo)
        QWidget.setTabOrder(self.address_province_combo, self.address_city_edit)
        QWidget.setTabOrder(self.address_city_edit, self.address_street_edit)
        QWidget.setTabOrder(self.address_street_edit, self.address_alley_edit)
        QWidget.setTabOrder(self.address_alley_edit, self.address_plaque_edit)
        QWidget.setTabOrder(self.address_plaque_edit, self.postal_code_edit)
        QWidget.setTabOrder(self.postal_code_edit, self.phone_edit)
        QWidget.setTabOrder(self.phone_edit, self.relative_phone_edit)

        self.retranslateUi(PatientForm)

        QMetaObject.connectSlotsByName(PatientForm)
    # setupUi

    def retranslateUi(self, PatientForm):
        PatientForm.setWindowTitle(QCoreApplication.translate("PatientForm", u"\u0645\u0634\u062e\u0635\u0627\u062a \u0628\u06cc\u0645\u0627\u0631", None))
        self.duplicate_banner.setProperty(u"role", QCoreApplication.translate("PatientForm", u"banner", None))
        self.open_existing_button.setText(QCoreApplication.translate("PatientForm", u"\u0628\u0627\u0632 \u06a9\u0631\u062f\u0646 \u067e\u0631\u0648\u0646\u062f\u0647 \u0627\u06cc\u0646 \u0628\u06cc\u0645\u0627\u0631", None))
        self.similar_banner.setProperty(u"role", QCoreApplication.translate("PatientForm", u"banner", None))
        self.open_similar_button.setText(QCoreApplication.translate("PatientForm", u"\u0628\u0627\u0632 \u06a9\u0631\u062f\u0646 \u0622\u0646 \u067e\u0631\u0648\u0646\u062f\u0647", None))
        self.identity_group.setTitle(QCoreApplication.translate("PatientForm", u"\u0627\u0644\u0641/ \u0627\u0637\u0644\u0627\u0639\u0627\u062a \u0647\u0648\u06cc\u062a\u06cc \u0628\u06cc\u0645\u0627\u0631", None))
        self.national_code_label.setText(QCoreApplication.translate("PatientForm", u"\u06a9\u062f \u0645\u0644\u06cc:", None))
        self.national_code_edit.setPlaceholderText(QCoreApplication.translate("PatientForm", u"\u06f1\u06f0 \u0631\u0642\u0645", None))
        self.national_code_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.cancer_group_id_label.setText(QCoreApplication.translate("PatientForm", u"\u0646\u0648\u0639 \u0633\u0631\u0637\u0627\u0646:", None))
        self.cancer_group_id_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.first_name_label.setText(QCoreApplication.translate("PatientForm", u"\u0646\u0627\u0645 \u0628\u06cc\u0645\u0627\u0631:", None))
        self.first_name_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.last_name_label.setText(QCoreApplication.translate("PatientForm", u"\u0646\u0627\u0645 \u062e\u0627\u0646\u0648\u0627\u062f\u06af\u06cc \u0628\u06cc\u0645\u0627\u0631:", None))
        self.last_name_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.father_name_label.setText(QCoreApplication.translate("PatientForm", u"\u0646\u0627\u0645 \u067e\u062f\u0631:", None))
        self.father_name_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.sex_label.setText(QCoreApplication.translate("PatientForm", u"\u062c\u0646\u0633\u06cc\u062a:", None))
        self.sex_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.birth_date_label.setText(QCoreApplication.translate("PatientForm", u"\u062a\u0627\u0631\u06cc\u062e \u062a\u0648\u0644\u062f:", None))
        self.birth_date_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.birth_certificate_no_label.setText(QCoreApplication.translate("PatientForm", u"\u0634\u0645\u0627\u0631\u0647 \u0634\u0646\u0627\u0633\u0646\u0627\u0645\u0647:", None))
        self.birth_certificate_no_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.birth_province_label.setText(QCoreApplication.translate("PatientForm", u"\u0627\u0633\u062a\u0627\u0646 \u0645\u062d\u0644 \u062a\u0648\u0644\u062f:", None))
        self.birth_province_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.birth_city_label.setText(QCoreApplication.translate("PatientForm", u"\u0634\u0647\u0631 \u0645\u062d\u0644 \u062a\u0648\u0644\u062f:", None))
        self.birth_city_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.nationality_label.setText(QCoreApplication.translate("PatientForm", u"\u0645\u0644\u06cc\u062a:", None))
        self.nationality_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.icd10_code_label.setText(QCoreApplication.translate("PatientForm", u"\u06a9\u062f ICD-10 (\u062a\u0648\u067e\u0648\u06af\u0631\u0627\u0641\u06cc):", None))
        self.icd10_code_edit.setPlaceholderText(QCoreApplication.translate("PatientForm", u"\u0645\u062b\u0644\u0627\u064b C50.9 (\u0627\u062e\u062a\u06cc\u0627\u0631\u06cc)", None))
        self.icd10_code_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.icd10_hint_label.setProperty(u"role", QCoreApplication.translate("PatientForm", u"hint", None))
        self.insurance_group.setTitle(QCoreApplication.translate("PatientForm", u"\u0628\u06cc\u0645\u0647", None))
        self.insurance_type_label.setText(QCoreApplication.translate("PatientForm", u"\u0646\u0648\u0639 \u0628\u06cc\u0645\u0647:", None))
        self.insurance_type_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.insurance_number_label.setText(QCoreApplication.translate("PatientForm", u"\u0634\u0645\u0627\u0631\u0647 \u0628\u06cc\u0645\u0647:", None))
        self.insurance_number_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.address_group.setTitle(QCoreApplication.translate("PatientForm", u"\u0646\u0634\u0627\u0646\u06cc \u0648 \u062a\u0644\u0641\u0646", None))
        self.address_province_label.setText(QCoreApplication.translate("PatientForm", u"\u0627\u0633\u062a\u0627\u0646 \u0645\u062d\u0644 \u0633\u06a9\u0648\u0646\u062a:", None))
        self.address_province_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.address_city_label.setText(QCoreApplication.translate("PatientForm", u"\u0634\u0647\u0631 \u0645\u062d\u0644 \u0633\u06a9\u0648\u0646\u062a:", None))
        self.address_city_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.address_street_label.setText(QCoreApplication.translate("PatientForm", u"\u062e\u06cc\u0627\u0628\u0627\u0646:", None))
        self.address_street_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.address_alley_label.setText(QCoreApplication.translate("PatientForm", u"\u06a9\u0648\u0686\u0647:", None))
        self.address_alley_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.address_plaque_label.setText(QCoreApplication.translate("PatientForm", u"\u067e\u0644\u0627\u06a9:", None))
        self.address_plaque_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.postal_code_label.setText(QCoreApplication.translate("PatientForm", u"\u06a9\u062f \u067e\u0633\u062a\u06cc:", None))
        self.postal_code_edit.setPlaceholderText(QCoreApplication.translate("PatientForm", u"\u06f1\u06f0 \u0631\u0642\u0645", None))
        self.postal_code_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.phone_label.setText(QCoreApplication.translate("PatientForm", u"\u062a\u0644\u0641\u0646 \u0628\u06cc\u0645\u0627\u0631 (\u0628\u0627 \u067e\u06cc\u0634\u200c\u0634\u0645\u0627\u0631\u0647):", None))
        self.phone_edit.setPlaceholderText(QCoreApplication.translate("PatientForm", u"\u06f0\u06f2\u06f1\u06f8\u06f8\u06f7\u06f7\u06f6\u06f6\u06f5\u06f5 \u06cc\u0627 \u06f0\u06f9\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9", None))
        self.phone_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.relative_phone_label.setText(QCoreApplication.translate("PatientForm", u"\u062a\u0644\u0641\u0646 \u0628\u0633\u062a\u06af\u0627\u0646 \u0628\u06cc\u0645\u0627\u0631 (\u0628\u0627 \u067e\u06cc\u0634\u200c\u0634\u0645\u0627\u0631\u0647):", None))
        self.relative_phone_edit.setPlaceholderText(QCoreApplication.translate("PatientForm", u"\u06f0\u06f9\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9", None))
        self.relative_phone_error.setProperty(u"role", QCoreApplication.translate("PatientForm", u"error", None))
        self.residence_label.setProperty(u"role", QCoreApplication.translate("PatientForm", u"hint", None))
    # retranslateUi

